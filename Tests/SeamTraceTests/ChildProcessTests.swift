import Testing

@testable import SeamTrace

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite("ChildProcess", .serialized)
struct ChildProcessTests {
    static func shell(_ script: String) throws -> ChildProcess {
        try ChildProcess(path: "/bin/sh", arguments: ["sh", "-c", script], environment: ["PATH=/usr/bin:/bin"])
    }

    static func seconds(_ body: () -> Void) -> Double {
        var start = timespec()
        var end = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        body()
        clock_gettime(CLOCK_MONOTONIC, &end)
        return Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
    }

    @Test("exit codes and signals, as a shell reports them")
    func statuses() throws {
        let exited = try Self.shell("exit 3").waitForExit()
        #expect(exited.code == 3 && exited.signal == nil && exited.shellStatus == 3 && "\(exited)" == "exit 3")
        let killed = try Self.shell("kill -TERM $$").waitForExit()
        #expect(killed.signal == SIGTERM && killed.shellStatus == 143 && "\(killed)" == "signal 15 (SIGTERM)")
    }

    @Test("wait(milliseconds:) times out while the child runs and returns as soon as it ends")
    func waitReturnsAtTheEnd() throws {
        let child = try Self.shell("sleep 0.3")
        var early: ChildProcess.ExitStatus?
        let timedOut = Self.seconds { early = child.wait(milliseconds: 50) }
        #expect(early == nil && timedOut < 0.25)
        var status: ChildProcess.ExitStatus?
        let waited = Self.seconds { status = child.wait(milliseconds: 10_000) }
        #expect(status?.code == 0)
        #expect(waited < 2, "the end was seen \(waited) s after the wait began (the child slept 0.3 s)")
        #expect(child.exitStatus == status)
    }

    @Test("100 short children, with a thread that takes every SIGCHLD: every end is seen at once")
    func endsAreNeverMissed() throws {
        // The thief: a thread that waits for SIGCHLD itself, as a thread with SIGCHLD unblocked would take it.
        let stop = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
        stop.pointee = 0
        defer { stop.deallocate() }
        var thief = pthread_t()
        pthread_create(
            &thief,
            nil,
            { context in
                let stop = context!.assumingMemoryBound(to: Int32.self)
                var set = sigset_t()
                sigemptyset(&set)
                sigaddset(&set, SIGCHLD)
                pthread_sigmask(SIG_BLOCK, &set, nil)
                var timeout = timespec(tv_sec: 0, tv_nsec: 10_000_000)
                while stop.pointee == 0 { _ = sigtimedwait(&set, nil, &timeout) }
                return nil
            },
            stop
        )
        defer {
            stop.pointee = 1
            pthread_join(thief, nil)
        }
        var slowest = 0.0
        for _ in 0..<100 {
            let child = try ChildProcess(path: "/bin/true", arguments: ["true"], environment: [])
            var status: ChildProcess.ExitStatus?
            slowest = max(slowest, Self.seconds { status = child.wait(milliseconds: 5000) })
            #expect(status?.code == 0)
        }
        #expect(slowest < 2, "slowest end seen after \(slowest) s")
    }

    @Test("a program that cannot be started throws cannotRun")
    func cannotStart() {
        #expect(throws: TraceError.self) {
            try ChildProcess(path: "/nonexistent/program", arguments: ["program"], environment: [])
        }
    }
}
