#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A monitor: a pthread mutex with one condition variable, for the few places in the capture where threads
/// wait for each other (the packet queue, the stop flag). Unlike NIO's `ConditionLock`, which waits for one
/// value, a waiter here loops over any predicate, and may wait with a deadline. Heap-allocated so the pthread
/// objects never move.
final class Monitor: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>

    init() {
        mutex = .allocate(capacity: 1)
        condition = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        condition.deallocate()
    }

    /// Runs `body` holding the mutex.
    func withLock<Result>(_ body: () throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// Waits for a signal; call only while holding the mutex (inside `withLock`), in a loop over the predicate.
    func wait() {
        pthread_cond_wait(condition, mutex)
    }

    /// Like `wait()`, but gives up at `deadline` (CLOCK_REALTIME, the condition's clock); false on timeout.
    func wait(until deadline: Int64) -> Bool {
        var time = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        return pthread_cond_timedwait(condition, mutex, &time) == 0
    }

    /// Wakes every waiter; call while holding the mutex.
    func broadcast() {
        pthread_cond_broadcast(condition)
    }
}
