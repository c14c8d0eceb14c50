import NIOConcurrencyHelpers
import NIOPosix
import SeamCore

/// Judges a session while it is recorded: the items the `SessionWriter` writes, in file order, go to a
/// `SessionAnalyzer` on a thread of its own, and every verdict of a flow is handed to `onVerdict` as soon as
/// the flow has closed and gone quiet — `seam proxy` and `seam trace` print it then.
///
/// It never slows the recording: items wait in a bounded queue, and when the analysis falls behind
/// (`queueLimit` items or `queueByteLimit` payload bytes waiting) it stops and says so (`fellBehind`), and the
/// recorder stops handing it items (`wantsItems`); `seam report` of the file then has the whole answer.
/// Thread-safe.
public final class LiveAnalysis: Sendable {
    /// What the live analysis did.
    public struct Outcome: Sendable {
        public var verdicts: Int
        public var flows: Int
        /// The analysis stopped because it could not keep up; the file is complete, only the live lines are not.
        public var fellBehind: Bool
    }

    public static let queueLimit = 200_000
    /// Payload bytes the queue may hold (64 MiB): items are copies of what was written, so this bounds the memory.
    public static let queueByteLimit = 64 << 20

    private struct State: Sendable {
        var queue: [SessionWriter.Written] = []
        var queuedBytes = 0
        var closing = false
        var fellBehind = false
        var verdicts = 0
        var flows = 0
    }

    private let state = NIOLockedValueBox(State())
    private let work = ConditionLock(value: 0)
    private let finished = ConditionLock(value: false)
    private let thread = NIOThreadPool(numberOfThreads: 1)
    private let options: ReportOptions
    private let settings: SessionSettings?
    private let onVerdict: @Sendable (Verdict) -> Void

    /// - Parameter onVerdict: called on the analysis thread for each verdict, in the order flows close.
    public init(options: ReportOptions, settings: SessionSettings?, onVerdict: @escaping @Sendable (Verdict) -> Void) {
        self.options = options
        self.settings = settings
        self.onVerdict = onVerdict
        thread.start()
        thread.submit { [self] _ in analyse() }
    }

    /// Hands over one written item (called by the recorder's writer thread, in file order).
    public func add(_ item: SessionWriter.Written) {
        let queued = state.withLockedValue { state -> Bool in
            guard !state.fellBehind, !state.closing else { return false }
            let bytes: Int
            switch item {
            case .call(let call): bytes = call.payload?.count ?? 0
            case .packet(let packet): bytes = packet.data.count
            }
            if state.queue.count >= Self.queueLimit || state.queuedBytes + bytes > Self.queueByteLimit {
                state.fellBehind = true
                state.queue = []
                state.queuedBytes = 0
                return false
            }
            state.queuedBytes += bytes
            state.queue.append(item)
            return true
        }
        if queued {
            work.lock()
            work.unlock(withValue: 1)
        }
    }

    /// Whether the analysis reads TCP calls' payloads whole: only to frame them into messages (`--framing`);
    /// otherwise the first 32 bytes (quoted in findings) are all it uses.
    public var needsWholeCallPayloads: Bool { !options.framing.isEmpty }

    /// Whether `add` still takes items: false once the analysis fell behind (or is finishing), so the recorder
    /// can stop copying what it writes for it.
    public var wantsItems: Bool { state.withLockedValue { !$0.fellBehind && !$0.closing } }

    /// Analyses what is left, reports the last flows' verdicts, and stops the thread. Call it once, after the
    /// recorder has closed.
    @discardableResult
    public func finish() -> Outcome {
        state.withLockedValue { $0.closing = true }
        work.lock()
        work.unlock(withValue: 1)
        finished.lock(whenValue: true)
        finished.unlock()
        try? thread.syncShutdownGracefully()
        return state.withLockedValue { Outcome(verdicts: $0.verdicts, flows: $0.flows, fellBehind: $0.fellBehind) }
    }

    private func analyse() {
        let analyzer = SessionAnalyzer(options: options, settings: settings)
        var reported = Set<String>()
        analyzer.onFlowReport = { [self] report in
            reported.insert(report.id)
            state.withLockedValue {
                $0.flows += 1
                $0.verdicts += report.verdicts.count
            }
            for verdict in report.verdicts { onVerdict(verdict) }
        }
        var closing = false
        repeat {
            if work.lock(whenValue: 1, timeoutSeconds: 0.1) { work.unlock(withValue: 0) }
            let (batch, stop, behind) = state.withLockedValue { state in
                defer {
                    state.queue = []
                    state.queuedBytes = 0
                }
                return (state.queue, state.closing, state.fellBehind)
            }
            closing = stop
            if behind { break }
            for item in batch {
                switch item {
                case .call(let call): analyzer.add(call: call)
                case .packet(let packet): analyzer.add(packet)
                }
            }
        } while !closing
        if !state.withLockedValue({ $0.fellBehind }) {
            let report = analyzer.finish(source: "live", failure: nil, drops: nil)
            for flow in report.flows where !reported.contains(flow.id) {
                state.withLockedValue {
                    $0.flows += 1
                    $0.verdicts += flow.verdicts.count
                }
                for verdict in flow.verdicts { onVerdict(verdict) }
            }
        }
        finished.lock()
        finished.unlock(withValue: true)
    }
}
