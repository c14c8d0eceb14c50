import SeamCore
import NIOCore

/// Holds every outbound `read()` back for a fixed delay: the receiver emulation of `--recv-delay`.
///
/// Placed next to the head of the pipeline, it delays the socket reads the relay asks for, so data piles
/// up in the kernel's receive buffer as behind a slow reader, and the next read returns what piled up.
final class ReadDelayHandler: ChannelOutboundHandler {
    typealias OutboundIn = NIOAny

    private let delay: TimeAmount
    private var scheduled: Scheduled<Void>?

    init(delay: TimeAmount) {
        self.delay = delay
    }

    func read(context: ChannelHandlerContext) {
        guard scheduled == nil else { return }
        scheduled = context.eventLoop.assumeIsolated().scheduleTask(in: delay) { [self] in
            scheduled = nil
            context.read()
        }
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        if mode == .all {
            scheduled?.cancel()
            scheduled = nil
        }
        context.close(mode: mode, promise: promise)
    }
}

/// Not Sendable: it lives on its channel's event loop.
@available(*, unavailable)
extension ReadDelayHandler: Sendable {}
