#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process group of the client command running now (0: none), for `ClientProcess.killOnInterrupt`'s
/// handler. Written by the one thread that runs the check, read by a signal handler.
nonisolated(unsafe) private var runningGroup: pid_t = 0

/// The user's client command of `seam check --client`, run once per chunking: spawned with posix_spawnp in a
/// process group of its own (so `stop` reaches whatever it started), standard input from /dev/null and its
/// output discarded. Only the user's command is ever run; nothing from the network becomes an argument.
final class ClientProcess {
    let pid: pid_t
    private(set) var status: Int32?

    /// Starts `arguments` (argv, from argv[0], found on PATH) with `environment` added to this process's.
    init(arguments: [String], environment: [String: String]) throws(CheckError) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK))
        var variables: [String] = []
        var index = 0
        while let entry = environ[index] {
            let text = String(cString: entry)
            let name = text.split(separator: "=", maxSplits: 1).first.map(String.init) ?? text
            if environment[name] == nil { variables.append(text) }
            index += 1
        }
        variables += environment.map { "\($0.key)=\($0.value)" }.sorted()
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = variables.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let code = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, envp)
        guard code == 0 else { throw CheckError.cannotRun("\(arguments[0]): \(String(cString: strerror(code)))") }
        self.pid = pid
        runningGroup = pid
    }

    deinit { stop() }

    /// SIGINT, SIGTERM and SIGHUP kill the running client's process group (which is not in the terminal's
    /// foreground group, so ^C does not reach it), then end this process as the signal would have.
    static func killOnInterrupt() {
        for number in [SIGINT, SIGTERM, SIGHUP] {
            signal(number) { number in
                if runningGroup > 0 { kill(-runningGroup, SIGKILL) }
                signal(number, SIG_DFL)
                raise(number)
            }
        }
    }

    /// The exit status once it has ended (reaping it), else `nil`.
    var exitStatus: Int32? {
        if let status { return status }
        var raw: Int32 = 0
        let result = waitpid(pid, &raw, WNOHANG)
        guard result == pid else { return nil }
        let signal = raw & 0x7F
        status = signal == 0 ? (raw >> 8) & 0xFF : 128 + signal
        if runningGroup == pid { runningGroup = 0 }
        return status
    }

    /// Waits up to `seconds` for its end.
    func wait(seconds: Double) -> Int32? {
        let deadline = now() + seconds
        while exitStatus == nil && now() < deadline { usleep(2000) }
        return exitStatus
    }

    /// Kills its process group (SIGKILL) if it still runs, and reaps it.
    func stop() {
        guard exitStatus == nil else { return }
        kill(-pid, SIGKILL)
        kill(pid, SIGKILL)
        _ = wait(seconds: 5)
    }
}

/// Not Sendable: one owner.
@available(*, unavailable)
extension ClientProcess: Sendable {}
