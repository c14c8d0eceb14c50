/// When a recorder stops reading its program's events after the program has ended: what its processes wrote
/// before the end is still to be read, and its children may outlive it. The drain is bounded, so a recorder
/// always returns soon after its program:
///
/// - at once when nothing is left to read and no process that could still write is alive (`.drained`);
/// - else once nothing came for `quiet` (100 ms: a child still running but idle, `.quiet`);
/// - never later than `limit` after the end (2 s: a child that keeps writing, `.limit`);
/// - at once when the recorder receives a further SIGINT/SIGTERM/SIGHUP/SIGQUIT after the end (`.interrupted`).
///
/// Feed it once per round after the end, with what the round read. A value type: no I/O, no clock of its own.
public struct ExitDrain: Sendable {
    /// Why the drain stopped.
    public enum StopReason: Sendable, Hashable {
        case drained, quiet, limit, interrupted
    }

    /// Nanoseconds without events after which the drain stops while processes still run.
    public var quiet: Int64
    /// Nanoseconds after the end at which the drain stops, whatever is still coming.
    public var limit: Int64
    private var endedAt: Int64?
    private var quietSince: Int64?
    private var interruptionsAtEnd: UInt64 = 0
    /// Why `shouldStop` said yes, once it did.
    public private(set) var stopReason: StopReason?

    public init(quietMilliseconds: Int = 100, limitMilliseconds: Int = 2000) {
        quiet = Int64(quietMilliseconds) * 1_000_000
        limit = Int64(limitMilliseconds) * 1_000_000
    }

    /// Whether to stop reading now.
    /// - Parameters:
    ///   - now: a clock in nanoseconds (any, the same every call).
    ///   - tookEvents: the round read something.
    ///   - isEmpty: nothing is waiting to be read.
    ///   - producersAlive: a process that may still write is running.
    ///   - interruptions: the signals received so far (`ChildProcess.interruptions`).
    public mutating func shouldStop(
        now: Int64,
        tookEvents: Bool,
        isEmpty: Bool,
        producersAlive: Bool,
        interruptions: UInt64
    ) -> Bool {
        guard stopReason == nil else { return true }
        guard let endedAt else {
            self.endedAt = now
            interruptionsAtEnd = interruptions
            return decide(now: now, tookEvents: tookEvents, isEmpty: isEmpty, producersAlive: producersAlive)
        }
        if interruptions > interruptionsAtEnd {
            stopReason = .interrupted
        } else if now - endedAt >= limit {
            stopReason = .limit
        } else {
            return decide(now: now, tookEvents: tookEvents, isEmpty: isEmpty, producersAlive: producersAlive)
        }
        return true
    }

    private mutating func decide(now: Int64, tookEvents: Bool, isEmpty: Bool, producersAlive: Bool) -> Bool {
        if tookEvents || !isEmpty {
            quietSince = nil
            return false
        }
        if !producersAlive {
            stopReason = .drained
            return true
        }
        let since = quietSince ?? now
        quietSince = since
        if now - since >= quiet {
            stopReason = .quiet
            return true
        }
        return false
    }
}
