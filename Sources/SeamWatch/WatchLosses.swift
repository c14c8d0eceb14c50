/// What the kernel side could not record: every count is of calls (or processes) missing from the session,
/// so none is silently lost. Read from the BPF program's `counters` and the programs' `recursion_misses`.
public struct WatchLosses: Sendable, Equatable {
    /// Events the ring buffer had no room for (seam did not read fast enough).
    public var ringFull: UInt64 = 0
    /// Calls not followed because the kernel had no memory for the thread's call in progress.
    public var callsInProgressFull: UInt64 = 0
    /// Messages of a sendmmsg/recvmmsg beyond the first 16 of one call.
    public var messagesBeyondLimit: UInt64 = 0
    /// Processes not followed because too many were watched (16 384).
    public var processesNotFollowed: UInt64 = 0
    /// Probe runs the kernel skipped because one was running on the same CPU already.
    public var missedRuns: UInt64 = 0

    public init() {}

    /// Calls missing from the session.
    public var calls: UInt64 { ringFull + callsInProgressFull + messagesBeyondLimit + missedRuns }

    public var isEmpty: Bool { calls == 0 && processesNotFollowed == 0 }

    /// The losses in words, e.g. `12 calls (the ring buffer was full)`, `nil` when there were none.
    public var description: String? {
        var parts: [String] = []
        func add(_ count: UInt64, _ what: String) {
            if count > 0 { parts.append("\(count) \(what)") }
        }
        add(ringFull, ringFull == 1 ? "call (the ring buffer was full)" : "calls (the ring buffer was full)")
        add(callsInProgressFull, "calls (no memory for the call in progress)")
        add(messagesBeyondLimit, "sendmmsg/recvmmsg messages (beyond 16 per call)")
        add(missedRuns, "probe runs the kernel skipped")
        add(processesNotFollowed, "processes not followed (too many watched)")
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }
}
