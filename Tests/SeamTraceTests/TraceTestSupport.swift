import SeamCore
import SeamTestSupport
import SeamTrace
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Helpers shared by the trace tests: fixture paths, the built products, running a traced program and
/// reading its session back.
enum TraceTestSupport {
    /// `Tests/Fixtures/trace`, from this file's path.
    static let fixtures: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(2)  // SeamTraceTests/TraceTestSupport.swift
        return parts.joined(separator: "/") + "/Fixtures/trace"
    }()

    /// The build folder the test bundle runs from (`.build/<config>`), where libSeamPreload.so and seam are.
    static let buildDirectory = PreloadLibrary.executableDirectory() ?? "."

    static var library: String? { PreloadLibrary.locate(nextTo: buildDirectory) }

    static func hasTool(_ name: String) -> Bool { ProgramLinkage.resolve(name) != nil }

    static func temporaryPath(_ name: String) -> String {
        "/tmp/seam-trace-test-\(getpid())-\(name)"
    }

    /// Traces `program` with the preload library; returns the outcome and the session's calls.
    static func trace(
        _ program: String,
        _ arguments: [String],
        payload: Bool = true,
        name: String = #function
    ) throws -> (ProgramTracer.Outcome, [SessionCall]) {
        let library = try #require(library, "libSeamPreload.so is not in \(buildDirectory)")
        let path = temporaryPath(name.filter { $0.isLetter } + ".pcapng")
        defer { unlink(path) }
        let tracer = ProgramTracer(
            program: program,
            arguments: arguments,
            libraryPath: library,
            recordPath: path,
            keepsPayload: payload
        )
        let outcome = try tracer.run()
        return (outcome, try readCalls(path))
    }

    static func readCalls(_ path: String) throws -> [SessionCall] {
        let reader = try CaptureFileReader(path: path)
        var calls: [SessionCall] = []
        while let record = try reader.next() { calls.append(try SessionCall.decode(record: record)) }
        return calls
    }

    /// Runs `argv` with stdout and stderr into files; returns the exit status and both outputs.
    static func run(_ argv: [String], name: String = #function) throws -> (status: Int32, out: String, err: String) {
        let outPath = temporaryPath(name.filter { $0.isLetter } + ".out")
        let errPath = temporaryPath(name.filter { $0.isLetter } + ".err")
        defer {
            unlink(outPath)
            unlink(errPath)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let args = argv.map { strdup($0) } + [nil]
        defer { for pointer in args { free(pointer) } }
        var pid: pid_t = 0
        let code = posix_spawnp(&pid, argv[0], &actions, nil, args, environ)
        try #require(code == 0, "cannot run \(argv[0]): \(code)")
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return ((status >> 8) & 0xFF, try contents(outPath), try contents(errPath))
    }

    static func contents(_ path: String) throws -> String {
        let fd = open(path, O_RDONLY)
        try #require(fd >= 0, "cannot open \(path)")
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension TraceTestSupport {
    /// The seam binary (`PackageRoot.seamBinary`: the one place tests find it); `nil` when it is not built.
    static var seam: String? { PackageRoot.seamBinary }

    /// Whether this process may capture (root): the tests that need capture skip elsewhere, saying so.
    static var canCapture: Bool { getuid() == 0 }

    /// Compiles `Tests/Fixtures/trace/<source>` with cc into a temporary binary; `nil` when cc fails.
    static func compile(_ source: String, flags: [String] = []) throws -> String? {
        let binary = temporaryPath(String(source.split(separator: ".").first ?? "program"))
        let compiled = try run(["cc", "-O1"] + flags + ["-o", binary, fixtures + "/" + source], name: "cc")
        return compiled.status == 0 ? binary : nil
    }

    /// Runs `argv` with its output discarded, killing it after `limit` seconds. Returns its exit status
    /// (`nil` when it had to be killed) and how long it took.
    static func runTimed(_ argv: [String], limit: Double) throws -> (status: Int32?, seconds: Double) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let args = argv.map { strdup($0) } + [nil]
        defer { for pointer in args { free(pointer) } }
        var start = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        var pid: pid_t = 0
        let code = posix_spawnp(&pid, argv[0], &actions, nil, args, environ)
        try #require(code == 0, "cannot run \(argv[0]): \(code)")
        func elapsed() -> Double {
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            return Double(now.tv_sec - start.tv_sec) + Double(now.tv_nsec - start.tv_nsec) / 1e9
        }
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { return ((status >> 8) & 0xFF, elapsed()) }
            if elapsed() > limit {
                kill(pid, SIGKILL)
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                return (nil, elapsed())
            }
            usleep(2000)
        }
    }
}

extension TraceTestSupport {
    /// A program running beside a test (a server), its standard output in a file.
    struct Background {
        let pid: pid_t
        let output: String

        /// The first line it printed, waiting up to `seconds` for it.
        func firstLine(within seconds: Double = 10) throws -> String? {
            for _ in 0..<Int(seconds * 100) {
                let text = (try? TraceTestSupport.contents(output)) ?? ""
                if let newline = text.firstIndex(of: "\n") { return String(text[..<newline]) }
                usleep(10_000)
            }
            return nil
        }

        /// Waits for it to end (killing it after `seconds`), and removes its output.
        func finish(within seconds: Double = 10) {
            var status: Int32 = 0
            for _ in 0..<Int(seconds * 100) where waitpid(pid, &status, WNOHANG) == 0 { usleep(10_000) }
            if kill(pid, 0) == 0 {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
            }
            unlink(output)
        }
    }

    /// Starts `argv` in the background with its standard output in a temporary file.
    static func background(_ argv: [String], name: String = #function) throws -> Background {
        let output = temporaryPath(name.filter { $0.isLetter } + ".background")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let args = argv.map { strdup($0) } + [nil]
        defer { for pointer in args { free(pointer) } }
        var pid: pid_t = 0
        let code = posix_spawnp(&pid, argv[0], &actions, nil, args, environ)
        try #require(code == 0, "cannot run \(argv[0]): \(code)")
        return Background(pid: pid, output: output)
    }
}
