import Atomics
import NIOConcurrencyHelpers
import NIOCore
import SeamCore

/// A back-pressure source that is not a recorder: whoever owns it says when producers must pause (`close()`)
/// and when they may go on (`open()`). Put in front of the proxy beside the session recorder, it lets a
/// capture that falls behind pause the relay too, before the kernel's capture ring overflows.
///
/// It records nothing (`record` is a no-op). Thread-safe; `isBackedUp` is lock-free.
public final class BackPressureGate: SessionCallSink, Sendable {
    private let closed = ManagedAtomic(false)
    private let state = NIOLockedValueBox<(closed: Bool, waiters: [@Sendable () -> Void], pauses: UInt64)>(
        (false, [], 0)
    )

    public init() {}

    public func record(_ call: SessionCall, payload: ByteBuffer?) {}

    public var isBackedUp: Bool { closed.load(ordering: .relaxed) }

    /// Times the gate closed.
    public var pauses: UInt64 { state.withLockedValue { $0.pauses } }

    public func whenCaughtUp(_ resume: @escaping @Sendable () -> Void) {
        let now = state.withLockedValue { state -> Bool in
            guard state.closed else { return true }
            state.waiters.append(resume)
            return false
        }
        if now { resume() }
    }

    /// Producers pause from now on (idempotent).
    public func close() {
        state.withLockedValue { state in
            guard !state.closed else { return }
            state.closed = true
            state.pauses &+= 1
            closed.store(true, ordering: .relaxed)
        }
    }

    /// Producers may go on; the waiting ones are called back on this thread (idempotent).
    public func open() {
        let waiters = state.withLockedValue { state -> [@Sendable () -> Void] in
            guard state.closed else { return [] }
            state.closed = false
            closed.store(false, ordering: .relaxed)
            defer { state.waiters = [] }
            return state.waiters
        }
        for resume in waiters { resume() }
    }
}
