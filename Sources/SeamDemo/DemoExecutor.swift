import Dispatch

/// Runs the demo's async work (the proxy's `start` and `run`) on Dispatch threads instead of Swift's
/// cooperative pool.
///
/// The demo's peers block (plain sockets, semaphores) and are often called from a thread of that pool — a
/// test, an async caller. Waiting there for a task that needs the same small pool can stall until another
/// pool thread frees up (a hundred seconds under a busy test run on two cores). Tasks that prefer this
/// executor never need the pool.
final class DemoExecutor: TaskExecutor, @unchecked Sendable {
    static let shared = DemoExecutor()
    private let queue = DispatchQueue(label: "seam.demo.executor", attributes: .concurrent)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
