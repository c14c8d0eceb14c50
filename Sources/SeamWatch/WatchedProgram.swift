import SeamTrace

#if canImport(Glibc)
import Glibc
#endif

/// The program `seam watch -- PROGRAM` starts: with the same arguments, environment, standard input,
/// output and error, and the signal mask seam had before it blocked the signals it handles.
///
/// A minimal runner (start, reap without blocking, signal): the BPF side follows the program and its
/// descendants by itself (seam's children are followed from the moment they are forked).
final class WatchedProgram {
    let pid: pid_t
    private(set) var exitStatus: Int32?
    /// How it ended, once reaped: its exit code or the signal that killed it (for the summary's words).
    private(set) var status: ChildProcess.ExitStatus?

    /// Starts `arguments[0]` (a path, or a name looked up in PATH) with `arguments`.
    init(arguments: [String], mask: sigset_t) throws(WatchError) {
        let name = arguments[0]
        guard let path = ProgramLinkage.resolve(name) else {
            throw .cannotRun(program: name, reason: "not found or not executable")
        }
        let argv = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var childMask = mask
        posix_spawnattr_setsigmask(&attributes, &childMask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        var pid: pid_t = 0
        let code = posix_spawn(&pid, path, nil, &attributes, argv, environ)
        guard code == 0 else { throw .cannotRun(program: name, reason: String(cString: strerror(code))) }
        self.pid = pid
    }

    /// Reaps the program if it has exited; returns its exit status (128 + a signal's number, as a shell does).
    @discardableResult
    func reap() -> Int32? {
        if let exitStatus { return exitStatus }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == pid {
            let ended = ChildProcess.ExitStatus(waitStatus: status)
            self.status = ended
            exitStatus = ended.shellStatus
        } else if result < 0 && errno == ECHILD {
            exitStatus = 1
        }
        return exitStatus
    }

    func signal(_ number: Int32) {
        if exitStatus == nil { kill(pid, number) }
    }

    /// Sends SIGTERM and waits up to `seconds` for the program to exit, then SIGKILL.
    func terminate(waiting seconds: Double = 1) {
        guard reap() == nil else { return }
        signal(SIGTERM)
        let deadline = WatchClock.read(CLOCK_MONOTONIC) + Int64(seconds * 1e9)
        while reap() == nil && WatchClock.read(CLOCK_MONOTONIC) < deadline { usleep(10_000) }
        if reap() == nil {
            signal(SIGKILL)
            while reap() == nil { usleep(1_000) }
        }
    }
}

@available(*, unavailable)
extension WatchedProgram: Sendable {}
