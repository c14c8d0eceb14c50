import SeamCore
import NIOCore

/// One half of the relay: the last handler of a leg's pipeline, matched with the other leg's glue.
///
/// Each chunk read on this leg is written (and flushed) as one write on the partner's leg. Reads are
/// asked for only while the partner's channel is writable (`autoRead` is off on both legs), so a reader
/// that does not read stops the proxy reading from the writer: memory stays bounded by the partner's
/// high write watermark plus one read batch. Reads also wait while the session recorder is backed up
/// (`RelayConnection.mayRead`, lossless recording), so the relay runs at the speed the recording sustains.
/// Half-closure and resets go through `RelayStateMachine`. Both legs must live on the same event loop.
final class GlueHandler {
    let side: Leg
    private let relay: RelayConnection
    private(set) var context: ChannelHandlerContext?
    private var pendingRead = false
    private var readWhenActive = false
    /// Bytes this leg read and handed to the partner.
    private(set) var bytesRelayed: UInt64 = 0

    init(side: Leg, relay: RelayConnection) {
        self.side = side
        self.relay = relay
    }

    private var partner: GlueHandler? { relay.glue(side.partner) }

    /// Whether this leg's channel can take more writes now.
    var isWritable: Bool { context?.channel.isWritable ?? false }

    /// Writes one chunk from the partner as one write, flushed at once.
    func partnerWrite(_ buffer: ByteBuffer) {
        guard let context else { return }
        context.writeAndFlush(NIOAny(buffer), promise: nil)
        if !context.channel.isWritable {
            relay.statistics.noteBuffered(context.channel)
        }
    }

    /// What held a read back is gone (the partner became writable, the recorder caught up): the held read goes
    /// now, through the gate again.
    func retryHeldRead() {
        guard pendingRead, let context else { return }
        pendingRead = false
        read(context: context)
    }

    /// Starts the relay's first read on this leg (at once, or when the channel becomes active: an accepted
    /// channel may still be inactive when its upstream connect completes).
    func startReading() {
        guard let context else { return }
        if context.channel.isActive {
            context.read()
        } else {
            readWhenActive = true
        }
    }
}

extension GlueHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        bytesRelayed &+= UInt64(buffer.readableBytes)
        partner?.partnerWrite(buffer)
    }

    /// A read batch is done: ask for the next (`autoRead` is off), through `read(context:)`'s gate.
    func channelReadComplete(context: ChannelHandlerContext) {
        read(context: context)
        context.fireChannelReadComplete()
    }

    func channelActive(context: ChannelHandlerContext) {
        if readWhenActive {
            readWhenActive = false
            context.read()
        }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        relay.handle(relay.closed(side))
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, case .inputClosed = event {
            relay.handle(relay.readEOF(on: side))
        } else if event is IdleStateHandler.IdleStateEvent {
            relay.handle(relay.idleTimeout())
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        relay.handle(relay.failed(side))
        context.close(promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            partner?.retryHeldRead()
        }
        context.fireChannelWritabilityChanged()
    }

    func read(context: ChannelHandlerContext) {
        if let partner, partner.isWritable, relay.mayRead(on: context.eventLoop) {
            context.read()
        } else {
            pendingRead = true
        }
    }
}

/// Not Sendable: it lives on its channel's event loop.
@available(*, unavailable)
extension GlueHandler: Sendable {}
