import NIOCore
import SeamCore
import SeamRecording

/// Hands each datagram a UDP socket reads to a closure, and asks for the next reads when a batch is done
/// (UDP sockets run with `autoRead` off so a `ReadDelayHandler` can pace them).
///
/// The next read waits while the session recorder is backed up (lossless recording: the datagrams then wait in
/// the socket's receive buffer, where the kernel counts what overflows, never silently in the proxy) and while
/// `holdsReads` says so (the relay's own bound); `resumeHeldRead()` retries a read held for the relay's reason.
final class UDPDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let received: (AddressedEnvelope<ByteBuffer>) -> Void
    private let recording: (any SessionCallSink)?
    /// The relay's reason to hold reads, checked before each read after the recorder's.
    var holdsReads: () -> Bool = { false }
    private var context: ChannelHandlerContext?
    private var readHeld = false
    private var waitingForRecording = false

    init(recording: (any SessionCallSink)? = nil, received: @escaping (AddressedEnvelope<ByteBuffer>) -> Void) {
        self.recording = recording
        self.received = received
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        received(unwrapInboundIn(data))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        readIfAllowed()
        context.fireChannelReadComplete()
    }

    /// Retries a read that was held back (the relay's reason is gone, or the recorder caught up).
    func resumeHeldRead() {
        if readHeld { readIfAllowed() }
    }

    private func readIfAllowed() {
        guard let context else { return }
        if let recording, recording.isBackedUp {
            readHeld = true
            guard !waitingForRecording else { return }
            waitingForRecording = true
            let loop = context.eventLoop
            let handler = NIOLoopBound(self, eventLoop: loop)
            recording.whenCaughtUp {
                loop.execute {
                    handler.value.waitingForRecording = false
                    handler.value.resumeHeldRead()
                }
            }
            return
        }
        if holdsReads() {
            readHeld = true
            return
        }
        readHeld = false
        context.read()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // A UDP socket's errors (ICMP port unreachable as ECONNREFUSED) do not end the relay.
    }
}

/// Not Sendable: it lives on its channel's event loop.
@available(*, unavailable)
extension UDPDatagramHandler: Sendable {}
