import SeamCore
import Testing

@testable import SeamTrace

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `seam trace` always returns soon after its program (issue 20), and passes SIGTERM on to it.
@Suite("seam trace returns", .serialized)
struct TraceExitTests {
    static let hasCC = TraceTestSupport.hasTool("cc")

    @Test(
        "200 short traced programs with --record and capture: each returns within 5 s",
        .enabled(if: hasCC, "needs cc"), .enabled(if: TraceTestSupport.canCapture, "needs root to capture (CI runs it)")
    )
    func manyShortPrograms() throws {
        let seam = try #require(TraceTestSupport.seam, "seam is not built in \(TraceTestSupport.buildDirectory)")
        let compiled = try TraceTestSupport.compile("pingpong.c")
        let pingpong = try #require(compiled, "cc failed on pingpong.c")
        let session = TraceTestSupport.temporaryPath("loop.pcapng")
        defer {
            unlink(pingpong)
            unlink(session)
        }
        let runs = 200
        var ran = 0
        var slowest = 0.0
        var total = 0.0
        var failures: [String] = []
        for index in 0..<runs {
            // sh runs the program, which forks its server: the shape of the issue's `sh -c "server & client"`.
            let (status, seconds) = try TraceTestSupport.runTimed(
                [seam, "trace", "--method", "preload", "--quiet", "--record", session, "--", "sh", "-c", "\(pingpong) 3"],
                limit: 10
            )
            ran += 1
            total += seconds
            slowest = max(slowest, seconds)
            if status != 0 || seconds > 5 {
                failures.append(
                    "run \(index): status \(status.map(String.init) ?? "hung (killed after 10 s)"), \(seconds) s"
                )
                if failures.count >= 3 { break }
            }
        }
        let mean = (total / Double(ran) * 1000).rounded() / 1000
        let slowestText = (slowest * 1000).rounded() / 1000
        print(
            "seam trace loop: \(ran) of \(runs) runs, mean \(mean) s, slowest \(slowestText) s, \(failures.count) failed"
        )
        #expect(failures.isEmpty, "\(failures)")
        #expect(ran == runs)
    }

    @Test("SIGTERM to seam trace goes to the program; seam finishes the file and exits 128+15")
    func terminationIsForwarded() throws {
        let seam = try #require(TraceTestSupport.seam, "seam is not built in \(TraceTestSupport.buildDirectory)")
        let session = TraceTestSupport.temporaryPath("term.pcapng")
        defer { unlink(session) }
        let argv = [seam, "trace", "--method", "preload", "--quiet", "--no-capture", "--record", session, "--", "sleep", "30"]
        let args = argv.map { strdup($0) } + [nil]
        defer { for pointer in args { free(pointer) } }
        // As a shell starts it: no signal blocked (this test's thread may block some).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        var pid: pid_t = 0
        try #require(posix_spawn(&pid, seam, nil, &attributes, args, environ) == 0)
        // Wait for the program to run under seam (its child), then signal seam itself.
        var child: pid_t = 0
        for _ in 0..<500 where child == 0 {
            usleep(10_000)
            let children = (try? TraceTestSupport.contents("/proc/\(pid)/task/\(pid)/children")) ?? ""
            child = pid_t(children.split(separator: " ").first.map(String.init) ?? "") ?? 0
        }
        try #require(child != 0, "seam trace did not start its program")
        kill(pid, SIGTERM)
        var status: Int32 = 0
        var waited = 0
        while waitpid(pid, &status, WNOHANG) == 0 && waited < 500 {
            usleep(10_000)
            waited += 1
        }
        #expect(waited < 500, "seam trace did not exit within 5 s of SIGTERM")
        if waited >= 500 {
            kill(pid, SIGKILL)
            waitpid(pid, &status, 0)
        }
        #expect((status >> 8) & 0xFF == 143, "seam's exit status was \(status), not the program's 128+15")
        #expect(kill(child, 0) != 0, "the program still runs after seam exited")
        // The session is complete: it reads to its end.
        let reader = try CaptureFileReader(path: session)
        while try reader.next() != nil {}
        #expect(reader.interfaces.count >= 1)
    }
}
