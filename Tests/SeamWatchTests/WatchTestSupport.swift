import SeamCore
import SeamTestSupport
import SeamTrace
import Testing

@testable import SeamWatch

#if canImport(Glibc)
import Glibc
#endif

/// What the watch tests share: whether BPF may be loaded here, the fixtures, running a watch and reading
/// its session back, and compact shapes of calls.
enum WatchTestSupport {
    /// Why the tests that load BPF are skipped here, `nil` when they can run (root, or CAP_BPF+CAP_PERFMON).
    static let bpfProblem: String? = WatchPrivilege.problem().map { "needs eBPF: \($0)" }
    static var canWatch: Bool { bpfProblem == nil }

    static let fixtures = PackageRoot.path + "/Tests/Fixtures"

    static func hasTool(_ name: String) -> Bool { ProgramLinkage.resolve(name) != nil }

    /// Watches `program` (or only `selection`, for `duration` seconds) into a session file; returns the
    /// outcome and the session. `ready` runs once the probes are attached and the program has started.
    static func watch(
        _ program: [String],
        selection: WatchSelection = WatchSelection(),
        duration: Double? = nil,
        ringBytes: UInt32? = nil,
        name: String = #function,
        ready: (() -> Void)? = nil
    ) throws -> (SocketWatcher.Outcome, SessionFile) {
        let path = temporaryPath("watch-" + name.filter { $0.isLetter } + ".pcapng")
        defer { unlink(path) }
        let watcher = SocketWatcher(selection: selection, program: program, recordPath: path, duration: duration)
        if let ringBytes { watcher.ringBytes = ringBytes }
        watcher.onReady = ready
        let outcome = try watcher.run()
        return (outcome, try SessionFile(path: path))
    }

    /// The calls of one process.
    static func calls(_ session: SessionFile, pid: Int32?) -> [SessionCall] {
        session.calls.filter { $0.program?.pid == pid.map { UInt32($0) } }
    }

    /// The calls of one connection, in time order.
    static func calls(_ calls: [SessionCall], connection: Int) -> [SessionCall] {
        calls.filter { $0.connection == connection }
    }

    /// The client's connection (the one with a connect) and the server's (the one with an accept).
    static func sides(_ calls: [SessionCall]) throws -> (client: [SessionCall], server: [SessionCall]) {
        let client = try #require(calls.first { $0.kind == .connect }).connection
        let server = try #require(calls.first { $0.kind == .accept }).connection
        return (Self.calls(calls, connection: client), Self.calls(calls, connection: server))
    }

    /// "send 5/5", "recv 9/1024", "connect"… for compact exact comparisons.
    static func shape(_ calls: [SessionCall]) -> [String] {
        calls.map { call in
            switch call.kind {
            case .send: return "send \(call.length ?? -1)/\(call.bufferSize ?? -1)"
            case .recv: return "recv \(call.length ?? -1)/\(call.bufferSize ?? -1)"
            default: return call.kind.rawValue
            }
        }
    }

    /// A free TCP port on 127.0.0.1 (bound and released; the kernel does not hand it out again soon).
    static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(fd, raw, length) == 0 && getsockname(fd, raw, &length) == 0
            }
        }
        try #require(bound, "cannot bind a port")
        return UInt16(bigEndian: address.sin_port)
    }

    /// Starts `argv` in the background (output to /dev/null); returns its pid.
    static func spawn(_ argv: [String]) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let args = argv.map { strdup($0) } + [nil]
        defer { for pointer in args { free(pointer) } }
        var pid: pid_t = 0
        let code = posix_spawnp(&pid, argv[0], &actions, nil, args, environ)
        try #require(code == 0, "cannot run \(argv[0]): \(code)")
        return pid
    }

    /// Waits for `pid` to exit (killing it after `seconds`); returns its exit status.
    @discardableResult
    static func reap(_ pid: pid_t, within seconds: Double = 10) -> Int32 {
        let deadline = Timestamp.now().nanoseconds + Int64(seconds * 1e9)
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            if Timestamp.now().nanoseconds > deadline {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                return -1
            }
            usleep(5_000)
        }
        return (status >> 8) & 0xFF
    }

    /// Waits until something listens on 127.0.0.1:`port` (up to 5 s).
    static func waitForListener(port: UInt16) -> Bool {
        for _ in 0..<500 {
            if ListeningPorts.current().contains(port) { return true }
            usleep(10_000)
        }
        return false
    }

    /// Builds a C fixture into /tmp; `nil` without a C compiler.
    static func buildC(_ name: String) throws -> String? {
        guard hasTool("cc") else { return nil }
        let output = temporaryPath(name)
        let (status, _, err) = try run(["cc", "-O2", "-o", output, fixtures + "/watch/\(name).c"])
        try #require(status == 0, "cc \(name).c failed: \(err)")
        return output
    }

    /// Runs `argv` to its end; returns the exit status, stdout and stderr.
    static func run(_ argv: [String], environment: [String] = []) throws -> (Int32, String, String) {
        let unique = UInt64.random(in: 0...UInt64.max)
        let out = temporaryPath("run-\(unique).out")
        let err = temporaryPath("run-\(unique).err")
        defer {
            unlink(out)
            unlink(err)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var env: [String] = environment
        var index = 0
        while let entry = environ[index] {
            env.append(String(cString: entry))
            index += 1
        }
        let args = argv.map { strdup($0) } + [nil]
        let envp = env.map { strdup($0) } + [nil]
        defer {
            for pointer in args { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let code = posix_spawnp(&pid, argv[0], &actions, nil, args, envp)
        try #require(code == 0, "cannot run \(argv[0]): \(code)")
        let status = reap(pid, within: 60)
        return (status, try contents(out), try contents(err))
    }

    static func contents(_ path: String) throws -> String {
        let fd = open(path, O_RDONLY)
        try #require(fd >= 0, "cannot open \(path)")
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(fd, &buffer, buffer.count)
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
