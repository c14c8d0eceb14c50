import SeamCore
import NIOCore

/// Hands each datagram a UDP socket reads to a closure, and asks for the next reads when a batch is done
/// (UDP sockets run with `autoRead` off so a `ReadDelayHandler` can pace them).
final class UDPDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let received: (AddressedEnvelope<ByteBuffer>) -> Void

    init(received: @escaping (AddressedEnvelope<ByteBuffer>) -> Void) {
        self.received = received
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        received(unwrapInboundIn(data))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.read()
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // A UDP socket's errors (ICMP port unreachable as ECONNREFUSED) do not end the relay.
    }
}

/// Not Sendable: it lives on its channel's event loop.
@available(*, unavailable)
extension UDPDatagramHandler: Sendable {}
