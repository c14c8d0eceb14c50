import NIOCore
import NIOPosix
import SeamCore
import SeamRecording

/// The two glue handlers of one relayed connection and its `RelayStateMachine`; carries out the machine's
/// actions on the channels. Lives on the connection's event loop (both legs share it), so it needs no lock.
final class RelayConnection {
    let statistics: ProxyStatistics
    /// The sink whose back-pressure paces the reads (a lossless session recorder); `nil` never pauses.
    private let recording: (any SessionCallSink)?
    private var machine = RelayStateMachine()
    private var downstream: GlueHandler?
    private var upstream: GlueHandler?
    /// Whether a `whenCaughtUp` callback is outstanding (one per connection, however many reads wait).
    private var waitingForRecording = false

    init(statistics: ProxyStatistics, recording: (any SessionCallSink)? = nil) {
        self.statistics = statistics
        self.recording = recording
    }

    /// Whether a leg may read now: not while the recording is backed up. When it is, the recorder is asked to call
    /// back once it has caught up, and then both legs retry the reads they held (`GlueHandler.retryHeldRead`).
    func mayRead(on loop: any EventLoop) -> Bool {
        guard let recording, recording.isBackedUp else { return true }
        if !waitingForRecording {
            waitingForRecording = true
            let relay = NIOLoopBound(self, eventLoop: loop)
            recording.whenCaughtUp {
                loop.execute { relay.value.recordingCaughtUp() }
            }
        }
        return false
    }

    private func recordingCaughtUp() {
        waitingForRecording = false
        downstream?.retryHeldRead()
        upstream?.retryHeldRead()
    }

    /// Makes the matched pair of glue handlers, one for each leg.
    func makeGluePair() -> (downstream: GlueHandler, upstream: GlueHandler) {
        let pair = (GlueHandler(side: .downstream, relay: self), GlueHandler(side: .upstream, relay: self))
        downstream = pair.0
        upstream = pair.1
        return pair
    }

    func glue(_ side: Leg) -> GlueHandler? {
        side == .downstream ? downstream : upstream
    }

    func readEOF(on side: Leg) -> [RelayStateMachine.Action] { machine.readEOF(on: side) }
    func closed(_ side: Leg) -> [RelayStateMachine.Action] { machine.closed(side) }
    func idleTimeout() -> [RelayStateMachine.Action] { machine.idleTimeout() }
    func failed(_ side: Leg) -> [RelayStateMachine.Action] { machine.failed(side) }

    /// Carries out the actions in order.
    func handle(_ actions: [RelayStateMachine.Action]) {
        for action in actions {
            switch action {
            case .shutdownOutput(let side):
                afterQueuedWrites(on: side) { $0.close(mode: .output, promise: nil) }
            case .close(let side):
                afterQueuedWrites(on: side) { $0.close(promise: nil) }
            case .reset(let side):
                guard let context = glue(side)?.context else { continue }
                context.triggerUserOutboundEvent(RelayResetEvent(), promise: nil)
                if let socket = context.channel as? any SocketOptionProvider {
                    _ = socket.setSoLinger(linger(l_onoff: 1, l_linger: 0))  // synchronous on the channel's loop
                }
                context.close(promise: nil)
            }
        }
    }

    /// Runs `body` once every write queued on the leg so far is in the kernel: an empty write is a barrier,
    /// because writes complete in order. (Closing at once would drop queued writes.)
    private func afterQueuedWrites(on side: Leg, _ body: @escaping (ChannelHandlerContext) -> Void) {
        guard let context = glue(side)?.context else { return }
        let barrier = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(NIOAny(context.channel.allocator.buffer(capacity: 0)), promise: barrier)
        barrier.futureResult.assumeIsolated().whenComplete { _ in body(context) }
    }
}

/// Outbound event the relay sends down a leg just before it aborts it (SO_LINGER 0, close): the
/// recording handler states the close as a `reset`. Handlers that don't know it must not pass it on.
struct RelayResetEvent: Sendable {}

/// Not Sendable: it lives on its channel's event loop.
@available(*, unavailable)
extension RelayConnection: Sendable {}
