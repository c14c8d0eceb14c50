import CPcap

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A plain pthread for blocking work that must stay off NIO event loops and off Swift's cooperative pool
/// (libpcap's loop and the file writer). The thread blocks the asynchronous signals (SIGINT, SIGTERM, …) so
/// they reach the thread that waits for them, never interrupt libpcap.
final class NativeThread: @unchecked Sendable {
    private final class Start {
        let name: String
        let body: () -> Void
        init(name: String, body: @escaping () -> Void) {
            self.name = name
            self.body = body
        }
    }

    private var handle: pthread_t
    private var joined = false

    /// Starts `body` on a new thread named `name` (at most 15 characters show in `top` and `gdb`).
    init(name: String, body: @escaping @Sendable () -> Void) throws(CaptureError) {
        let start = Unmanaged.passRetained(Start(name: name, body: body)).toOpaque()
        #if canImport(Glibc)
        var thread = pthread_t()
        #else
        var thread: pthread_t? = nil
        #endif
        let rc = pthread_create(
            &thread,
            nil,
            { context in
                #if canImport(Glibc)
                let start = Unmanaged<Start>.fromOpaque(context!).takeRetainedValue()
                #else
                let start = Unmanaged<Start>.fromOpaque(context).takeRetainedValue()
                #endif
                NativeThread.blockAsynchronousSignals()
                seam_name_current_thread(String(start.name.prefix(15)))
                start.body()
                return nil
            },
            start
        )
        guard rc == 0 else {
            Unmanaged<Start>.fromOpaque(start).release()
            throw .failed(interface: name, operation: "starting the thread", detail: String(cString: strerror(rc)))
        }
        #if canImport(Glibc)
        handle = thread
        #else
        handle = thread!
        #endif
    }

    deinit {
        if !joined { pthread_detach(handle) }  // nobody waits for it: let it release its resources when it ends
    }

    /// Waits for the thread to end. Idempotent; must not be called from the thread itself.
    func join() {
        guard !joined else { return }
        joined = true
        pthread_join(handle, nil)
    }

    /// Whether the caller is this thread.
    var isCurrent: Bool { pthread_equal(handle, pthread_self()) != 0 }

    /// The signals a process handles to stop or reload; blocked on Seam's own threads.
    static let asynchronousSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1, SIGUSR2, SIGALRM]

    static func blockAsynchronousSignals() {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in asynchronousSignals { sigaddset(&set, signal) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }
}
