#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Atomics
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SeamCore

/// Records a session from many threads at once: the proxy's event loops, a capture thread, a program
/// tracer's drain loop, the demo's peers. It queues what they hand it, and one thread of its own (from a
/// `NIOThreadPool`, never an event loop) feeds the `SessionWriter`, which owns the file's format and order.
///
/// **Bounded.** What is queued or held in the writer's reorder window is bounded by `Bounds` (items and
/// payload bytes). What happens at the bound is the `Mode`:
/// - `lossless` (the default): nothing is ever dropped. Producers that must not block (event loops) keep
///   handing calls over and are asked to pause: `isBackedUp` turns true at the bound and `whenCaughtUp` calls
///   them back once the writer has brought what is held under half of it; a relay that stops reading then
///   runs at the speed the disk sustains. Producers that may block (`record(packet:…)`, a capture thread)
///   wait at 1.5 × the bound, so the relay's pause comes first.
/// - `lossy`: at the bound new items are dropped and counted (`Statistics.dropped`), never waited for; the
///   file states the count in an interface statistics block at close.
///
/// Thread-safe: every method may be called from any thread; `close()` once, off the event loops.
public final class SessionRecorder: SessionCallSink, Sendable {
    /// What to do when the writer falls behind.
    public enum Mode: String, Sendable {
        case lossless
        case lossy
    }

    /// How much may wait to be written.
    public struct Bounds: Sendable {
        public var items: Int
        public var payloadBytes: Int

        public init(items: Int = 262_144, payloadBytes: Int = 256 << 20) {
            self.items = items
            self.payloadBytes = payloadBytes
        }
    }

    /// What the recorder did.
    public struct Statistics: Sendable, Equatable {
        public var callsWritten: UInt64 = 0
        public var packetsWritten: UInt64 = 0
        /// Items dropped because the recorder was full (lossy mode only).
        public var dropped: UInt64 = 0
        /// Times the recorder asked its producers to pause (lossless mode).
        public var pauses: UInt64 = 0
        /// How long, in all, the producers were asked to pause (lossless mode), in nanoseconds.
        public var pausedNanoseconds: Int64 = 0
        /// Items written out of time order: they came more than the writer's reorder window late.
        public var lateItems: UInt64 = 0
        /// The first write error, if writing failed.
        public var writeError: String?
    }

    private enum Item: Sendable {
        case call(SessionCall, payload: ByteBuffer?)
        case packet(interface: Int, timestamp: Timestamp, data: [UInt8], originalLength: Int)

        var payloadBytes: Int {
            switch self {
            case .call(let call, let payload): return payload?.readableBytes ?? call.payload?.count ?? 0
            case .packet(_, _, let data, _): return data.count
            }
        }
    }

    private struct State: Sendable {
        var queue: [Item] = []
        var queuedPayload = 0
        /// What the writer held (in its reorder window) after its last round.
        var writerItems = 0
        var writerPayload = 0
        var isBackedUp = false
        /// When `isBackedUp` last turned true.
        var backedUpSince: Timestamp?
        var waiters: [@Sendable () -> Void] = []
        var closing = false
        var statistics = Statistics()
        var interfaceStatistics: [Int: (received: UInt64, dropped: UInt64, comment: String?)] = [:]

        var heldItems: Int { queue.count + writerItems }
        var heldPayload: Int { queuedPayload + writerPayload }
    }

    public let mode: Mode
    public let bounds: Bounds
    private let statesOutcome: Bool
    private let live: LiveAnalysis?
    /// The file's name, for messages.
    public let path: String
    private let state = NIOLockedValueBox(State())
    /// `state.isBackedUp`, readable without the lock: every socket read of the proxy checks it.
    private let backedUp = ManagedAtomic(false)
    /// 1 when the writer has work (items were queued, or the recorder is closing).
    private let work = ConditionLock(value: 0)
    /// Guards `writer`: the writer thread, `addCaptureInterface` and `close` use it.
    private let writerLock = NIOLock()
    /// Used only under `writerLock` (a `SessionWriter` is not Sendable; this lock is its whole thread-safety).
    private nonisolated(unsafe) let writer: SessionWriter
    private let thread = NIOThreadPool(numberOfThreads: 1)
    private let finished = ConditionLock(value: false)

    /// Creates the file (mode 0600), writes its section and starts the writer thread.
    /// - Parameters:
    ///   - recorder: who records the calls (`seam proxy`), for the calls interface's description.
    ///   - dissector: what Wireshark shows call payloads with (see `SessionWriter.dissector`).
    ///   - live: a live analysis that gets every item as it is written.
    ///   - writerNice: when set, the writer thread runs at this nice value (Linux: nice is per thread), so a
    ///     recorder beside a traced program does not take the CPU from it (`seam trace`: 10).
    ///   - statesOutcome: at close, state the mode and its counts in a statistics block of the calls interface
    ///     (`recording=lossless unwritten=0 pauses=2 paused-ms=310`), even when nothing was dropped.
    /// - Throws: a `CaptureFileError` when the file cannot be created.
    public init(
        path: String, settings: SessionSettings, recorder: String, dissector: String = "data",
        mode: Mode = .lossless, bounds: Bounds = Bounds(), live: LiveAnalysis? = nil, writerNice: Int32? = nil,
        statesOutcome: Bool = false
    ) throws {
        self.path = path
        self.mode = mode
        self.bounds = bounds
        self.statesOutcome = statesOutcome
        writer = try SessionWriter(path: path, settings: settings, recorder: recorder, dissector: dissector)
        self.live = live
        if let live {
            writer.onWritten = { live.add($0) }
            // Without framing the analysis quotes the start of each payload and frames nothing: no copy of every
            // byte for it (those copies were a quarter of the writer thread's time under perf).
            if !live.needsWholeCallPayloads { writer.onWrittenPayloadPrefix = 64 }
        }
        thread.start()
        thread.submit { [self] _ in
            #if os(Linux)
                if let writerNice { setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, writerNice) }
            #endif
            writeLoop()
        }
    }

    // MARK: - Producers

    /// Records one call (from any thread; never blocks).
    public func record(_ call: SessionCall, payload: ByteBuffer?) {
        enqueue(.call(call, payload: payload), mayWait: false)
    }

    /// Records several calls at once, in order (from any thread; never blocks): one lock and one wake-up of the
    /// writer for all of them, for producers that read calls in batches (a traced program's ring).
    public func record(contentsOf calls: [SessionCall]) {
        guard !calls.isEmpty else { return }
        let queued = state.withLockedValue { state -> Bool in
            var any = false
            for call in calls {
                let bytes = call.payload?.count ?? 0
                if state.closing || (mode == .lossy && isOver(factor: 2, state, adding: bytes)) {
                    state.statistics.dropped &+= 1
                    continue
                }
                state.queue.append(.call(call, payload: nil))
                state.queuedPayload += bytes
                any = true
            }
            if mode == .lossless && !state.isBackedUp && isOver(factor: 2, state, adding: 0) {
                backUp(&state)
            }
            return any
        }
        if queued { signalWork() }
    }

    /// Adds a captured interface (an IDB) and returns its index for `record(packet:…)`.
    public func addCaptureInterface(linkType: LinkType, snapLength: Int = 262_144, name: String? = nil) throws -> Int {
        try writerLock.withLock {
            try writer.addCaptureInterface(linkType: linkType, snapLength: snapLength, name: name)
        }
    }

    /// Records one captured packet of an interface from `addCaptureInterface`. In lossless mode it waits while
    /// the recorder is far behind: call it from a capture thread, never an event loop.
    public func record(packet data: [UInt8], timestamp: Timestamp, originalLength: Int, interface: Int) {
        enqueue(
            .packet(interface: interface, timestamp: timestamp, data: data, originalLength: originalLength),
            mayWait: true)
    }

    /// Notes a capture's statistics; `close()` writes them (a later note for the interface replaces it).
    public func noteInterfaceStatistics(interface: Int, received: UInt64, dropped: UInt64, comment: String? = nil) {
        state.withLockedValue { $0.interfaceStatistics[interface] = (received, dropped, comment) }
    }

    // MARK: - Back-pressure

    /// Whether producers should pause: the recorder is at its bound (lossless mode only). Lock-free.
    public var isBackedUp: Bool { backedUp.load(ordering: .relaxed) }

    /// Calls `resume` once the recorder is not backed up: at once (on this thread) when it is not, else on the
    /// writer thread when it has caught up (or at close). Hop to your event loop in `resume`.
    public func whenCaughtUp(_ resume: @escaping @Sendable () -> Void) {
        let now = state.withLockedValue { state -> Bool in
            guard state.isBackedUp else { return true }
            state.waiters.append(resume)
            return false
        }
        if now { resume() }
    }

    /// What was written, dropped and paused so far.
    public var statistics: Statistics { state.withLockedValue { $0.statistics } }

    // MARK: - Closing

    /// Writes everything queued and held, the statistics blocks, and closes the file. Blocks until done; call
    /// it once, off the event loops.
    /// - Throws: a `CaptureFileError` when writing failed.
    @discardableResult
    public func close() throws -> Statistics {
        state.withLockedValue { $0.closing = true }
        signalWork()
        finished.lock(whenValue: true)
        finished.unlock()
        try? thread.syncShutdownGracefully()
        let (noted, waiters, sofar) = state.withLockedValue { state in
            defer { state.waiters = [] }
            return (state.interfaceStatistics, state.waiters, state.statistics)
        }
        let dropped = sofar.dropped
        for resume in waiters { resume() }
        var failure: String?
        var late: UInt64 = 0
        writerLock.withLock {
            for (interface, entry) in noted {
                writer.noteInterfaceStatistics(
                    interface: interface, received: entry.received, dropped: entry.dropped, comment: entry.comment)
            }
            writer.noteUnrecorded(dropped)
            if statesOutcome {
                writer.callsStatisticsComment =
                    "seam: recording=\(mode.rawValue) unwritten=\(dropped) pauses=\(sofar.pauses) "
                    + "paused-ms=\(sofar.pausedNanoseconds / 1_000_000)"
            }
            do {
                late = try writer.finish().lateItems
            } catch {
                failure = "\(error)"
            }
        }
        let final = state.withLockedValue { state -> Statistics in
            state.statistics.lateItems = late
            if let failure, state.statistics.writeError == nil { state.statistics.writeError = failure }
            return state.statistics
        }
        if let error = final.writeError {
            throw CaptureFileError(
                file: path, offset: nil, expected: "a writable session file", found: error,
                message: "cannot write the session: \(error)")
        }
        return final
    }

    // MARK: - Queue and writer thread

    private func enqueue(_ item: Item, mayWait: Bool) {
        let bytes = item.payloadBytes
        if mode == .lossless && mayWait {
            // A capture thread waits (the kernel's capture buffer holds what arrives meanwhile).
            while state.withLockedValue({ !$0.closing && isOver(factor: 3, $0, adding: bytes) }) {
                usleep(1000)
            }
        }
        let queued = state.withLockedValue { state -> Bool in
            if state.closing || (mode == .lossy && isOver(factor: 2, state, adding: bytes)) {
                state.statistics.dropped &+= 1
                return false
            }
            state.queue.append(item)
            state.queuedPayload += bytes
            if mode == .lossless && !state.isBackedUp && isOver(factor: 2, state, adding: 0) {
                backUp(&state)
            }
            return true
        }
        if queued { signalWork() }
    }

    /// Turns `isBackedUp` on (under the state's lock).
    private func backUp(_ state: inout State) {
        state.isBackedUp = true
        state.backedUpSince = .now()
        state.statistics.pauses &+= 1
        backedUp.store(true, ordering: .relaxed)
    }

    /// Whether what is held (plus `bytes`) is over `factor` halves of the bounds.
    private func isOver(factor: Int, _ state: State, adding bytes: Int) -> Bool {
        state.heldItems * 2 >= bounds.items * factor || (state.heldPayload + bytes) * 2 > bounds.payloadBytes * factor
    }

    private func signalWork() {
        work.lock()
        work.unlock(withValue: 1)
    }

    private func writeLoop() {
        var isClosing = false
        repeat {
            if work.lock(whenValue: 1, timeoutSeconds: 0.05) { work.unlock(withValue: 0) }
            let (batch, closing, pressed) = state.withLockedValue { state -> ([Item], Bool, Bool) in
                // What leaves the queue is held by the writer now: the bound counts it all along.
                defer {
                    state.writerItems += state.queue.count
                    state.writerPayload += state.queuedPayload
                    state.queue = []
                    state.queuedPayload = 0
                }
                return (state.queue, state.closing, state.isBackedUp)
            }
            isClosing = closing
            var round = (items: 0, payload: 0, calls: UInt64(0), packets: UInt64(0))
            var failure: String?
            writerLock.withLock {
                for item in batch {
                    switch item {
                    case .call(let call, let payload):
                        writer.add(call, payload: payload)
                    case .packet(let interface, let timestamp, let data, let originalLength):
                        writer.add(packet: data, timestamp: timestamp, originalLength: originalLength, interface: interface)
                    }
                }
                let before = writer.statistics
                do {
                    try writer.writeHeld(now: isClosing ? Timestamp(nanoseconds: .max) : .now())
                    if pressed {
                        // At the bound the producers wait: write the oldest items now instead of letting the
                        // relay stall for the rest of the reorder window, down to a quarter of the bound.
                        try writer.writeHeld(
                            untilHeldAtMost: bounds.items / 4, payloadBytes: bounds.payloadBytes / 4)
                    }
                } catch {
                    failure = "\(error)"
                }
                if writer.onWritten != nil, let live, !live.wantsItems {
                    writer.onWritten = nil  // it fell behind: no more copies of every payload for it
                }
                round = (
                    writer.heldCount, writer.heldPayloadBytes, writer.statistics.callsWritten - before.callsWritten,
                    writer.statistics.packetsWritten - before.packetsWritten
                )
            }
            let resumed = state.withLockedValue { state -> [@Sendable () -> Void] in
                state.writerItems = round.items
                state.writerPayload = round.payload
                state.statistics.callsWritten &+= round.calls
                state.statistics.packetsWritten &+= round.packets
                if let failure, state.statistics.writeError == nil { state.statistics.writeError = failure }
                guard state.isBackedUp && !isOver(factor: 1, state, adding: 0) else { return [] }
                state.isBackedUp = false
                backedUp.store(false, ordering: .relaxed)
                if let since = state.backedUpSince {
                    state.statistics.pausedNanoseconds &+= Timestamp.now().nanoseconds - since.nanoseconds
                }
                defer { state.waiters = [] }
                return state.waiters
            }
            for resume in resumed { resume() }
        } while !isClosing
        finished.lock()
        finished.unlock(withValue: true)
    }
}
