import CSeamProcess

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A program a recorder runs and waits for (`seam trace -- PROGRAM`, `seam watch -- PROGRAM`): started with
/// posix_spawn, waited for without signals, with SIGINT, SIGTERM, SIGHUP and SIGQUIT passed on to it.
///
/// **Its end is never missed.** The child's end is seen through a pidfd (`pidfd_open`, Linux 5.3+) that
/// `wait(milliseconds:)` polls, and confirmed by `waitpid(pid, WNOHANG)` — never through SIGCHLD, which the
/// kernel may hand to any thread that does not block it (a capture thread, a thread pool), where it is lost.
/// Without a pidfd, `wait` polls `waitpid` every millisecond. No signal mask is changed, so it does not matter
/// which threads were started before.
///
/// **Signals.** From just before the child starts until this object is released, handlers (whichever thread
/// runs them) take SIGTERM, SIGHUP, SIGINT and SIGQUIT: while the child runs they pass them on to it, so the
/// recorder outlives its program and finishes its file (`kill RECORDER` ends the program, then the recorder);
/// after its end they only count them (`interruptions`), so a recorder draining after the end can stop early
/// at one, and is never killed mid-file. A signal the kernel sent to the terminal's foreground process group
/// (^C, ^\, a hangup) is not sent again: the child, in that group, got it already. Signals ignored when the
/// child starts (nohup) stay ignored, in the child too. Release the object when the recording is finished.
///
/// The child inherits the caller's standard input, output and error and process group; it starts with no
/// signal blocked, whichever thread starts it (a recorder's threads may block signals for their own reasons).
/// Use it from one thread. Typical use, with a bounded drain after the end (see `ExitDrain`):
///
/// ```swift
/// let child = try ChildProcess(path: path, arguments: [name] + arguments, environment: environment)
/// var drain = ExitDrain()
/// while true {
///     let took = readEvents()
///     if let status = child.exitStatus ?? child.wait(milliseconds: took > 0 ? 0 : 10) {
///         if drain.shouldStop(tookEvents: took > 0, producersAlive: false, interrupted: child.isInterrupted) { break }
///     }
/// }
/// ```
public final class ChildProcess {
    /// How a program ended.
    public struct ExitStatus: Sendable, Hashable, CustomStringConvertible {
        /// Its exit code, when it exited.
        public var code: Int32?
        /// The signal that killed it, when one did.
        public var signal: Int32?

        public init(code: Int32? = nil, signal: Int32? = nil) {
            self.code = code
            self.signal = signal
        }

        /// Decodes a `waitpid` status.
        public init(waitStatus status: Int32) {
            let signal = status & 0x7F
            self.init(code: signal == 0 ? (status >> 8) & 0xFF : nil, signal: signal == 0 ? nil : signal)
        }

        /// The status as a shell reports it: the exit code, or 128 + the signal.
        public var shellStatus: Int32 { code ?? (128 + (signal ?? 0)) }

        /// `exit 3`, `signal 15 (SIGTERM)`.
        public var description: String {
            if let code { return "exit \(code)" }
            let names: [Int32: String] = [
                SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGKILL: "SIGKILL", SIGSEGV: "SIGSEGV",
                SIGPIPE: "SIGPIPE", SIGTERM: "SIGTERM", SIGABRT: "SIGABRT",
            ]
            let number = signal ?? 0
            return "signal \(number)" + (names[number].map { " (\($0))" } ?? "")
        }
    }

    public let pid: pid_t
    /// The program's path as spawned.
    public let path: String
    private var pidfd: Int32
    private var forwarding = false
    private let receivedAtStart: UInt64
    /// The child's status once `wait` or `exitStatus` saw its end.
    public private(set) var status: ExitStatus?

    /// Starts `path` with `arguments` (argv, from argv[0]) and `environment` (`NAME=value` strings).
    /// - Parameter keepDescriptors: descriptors the child keeps (their FD_CLOEXEC is cleared in the child).
    /// - Throws: `TraceError.cannotRun` when posix_spawn fails.
    public init(path: String, arguments: [String], environment: [String], keepDescriptors: [Int32] = []) throws {
        self.path = path
        // Held before the spawn: a signal from now on is passed on or counted, never fatal.
        seam_signals_hold()
        receivedAtStart = seam_forwarding_received()
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // dup2 onto itself clears FD_CLOEXEC (glibc ≥ 2.29).
        for descriptor in keepDescriptors { posix_spawn_file_actions_adddup2(&actions, descriptor, descriptor) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        var pid: pid_t = 0
        let code = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        guard code == 0 else {
            seam_signals_release()
            throw TraceError.cannotRun(program: arguments.first ?? path, reason: String(cString: strerror(code)))
        }
        self.pid = pid
        // The pidfd is opened after the spawn: until this process reaps the child, its pid cannot be reused, so
        // the pidfd is the child's even if it has already exited.
        pidfd = seam_pidfd_open(pid)
        if pidfd >= 0 { _ = fcntl(pidfd, F_SETFD, FD_CLOEXEC) }
        forwarding = seam_forwarding_add(pid, pidfd) == 0
    }

    deinit {
        stopForwarding()
        if pidfd >= 0 { close(pidfd) }
        seam_signals_release()
    }

    /// The child's status when it has ended (reaping it), else `nil`; never blocks.
    public var exitStatus: ExitStatus? {
        if let status { return status }
        return reap()
    }

    /// Waits up to `milliseconds` (0: not at all) for the child's end; returns its status as soon as it has
    /// ended, or `nil` at the timeout.
    public func wait(milliseconds: Int32) -> ExitStatus? {
        if let status = exitStatus { return status }
        guard milliseconds > 0 else { return nil }
        if pidfd >= 0 {
            var entry = pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0)
            _ = poll(&entry, 1, milliseconds)  // EINTR (a forwarded signal) only shortens the wait
        } else {
            let deadline = monotonicMilliseconds() + Int64(milliseconds)
            while reap() == nil && monotonicMilliseconds() < deadline { usleep(1000) }
        }
        return exitStatus
    }

    /// Waits for the child's end, however long it takes.
    public func waitForExit() -> ExitStatus {
        while true {
            if let status = wait(milliseconds: 1000) { return status }
        }
    }

    /// Sends `signal` to the child while it runs.
    public func send(signal: Int32) {
        guard status == nil else { return }
        kill(pid, signal)
    }

    /// Signals (SIGINT, SIGTERM, SIGHUP, SIGQUIT) this process received since the child started.
    public var interruptions: UInt64 { seam_forwarding_received() &- receivedAtStart }

    private func reap() -> ExitStatus? {
        if pidfd >= 0 {
            // Ended (the pidfd is readable): stop forwarding before reaping, so no signal can reach a reused pid.
            var entry = pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, 0) > 0 else { return nil }
            stopForwarding()
        }
        var raw: Int32 = 0
        var result: pid_t
        repeat {
            result = waitpid(pid, &raw, WNOHANG)
        } while result < 0 && errno == EINTR
        guard result != 0 else { return nil }
        stopForwarding()
        // ECHILD: someone else reaped it (a SIGCHLD set to SIG_IGN elsewhere); its status is lost.
        status = result == pid ? ExitStatus(waitStatus: raw) : ExitStatus(code: 1)
        return status
    }

    private func stopForwarding() {
        guard forwarding else { return }
        forwarding = false
        seam_forwarding_remove(pid)
    }

    private func monotonicMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}

/// Not thread-safe: one thread runs and waits for the child.
@available(*, unavailable)
extension ChildProcess: Sendable {}
