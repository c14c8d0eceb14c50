import SeamCore
import Testing

@testable import SeamTrace

#if canImport(Glibc)
    import Glibc
#endif

@Suite("ProcessTracker")
struct ProcessTrackerTests {
    static let time = Timestamp(nanoseconds: 1_000_000_000)

    static func event(
        _ kind: ProcessEvent.Kind,
        _ pid: UInt32,
        by reporter: UInt32? = nil,
        path: String? = nil,
        command: String? = nil,
        carriesTrace: Bool = true
    ) -> ProcessEvent {
        ProcessEvent(
            kind: kind,
            pid: pid,
            reporter: reporter ?? pid,
            path: path,
            command: command,
            carriesTrace: carriesTrace,
            time: time
        )
    }

    /// A linkage by file name: `go*` is Go, `static*` static, anything else dynamic.
    static func linkage(_ path: String) -> ProgramLinkage {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        if name.hasPrefix("go") { return .goRuntime }
        if name.hasPrefix("static") { return .staticallyLinked }
        return .dynamic
    }

    @Test("an exec answered by a start is traced; one without is untraced, with the reason from the file")
    func execWithoutStart() {
        var tracker = ProcessTracker()
        tracker.expect(program: 10, path: "/bin/sh", time: Self.time)
        tracker.note(Self.event(.start, 10, path: "/usr/bin/dash", command: "sh"))
        tracker.note(Self.event(.fork, 11, by: 10))
        tracker.note(Self.event(.exec, 11, path: "/usr/bin/python3"))
        tracker.note(Self.event(.start, 11, path: "/usr/bin/python3.11", command: "python3"))
        tracker.note(Self.event(.exec, 10, path: "/tmp/goserver"))
        tracker.note(Self.event(.fork, 12, by: 11))
        tracker.note(Self.event(.exec, 12, path: "/tmp/static-client"))
        let untraced = tracker.untraced(linkage: Self.linkage)
        #expect(untraced.map(\.pid) == [10, 12])
        #expect(untraced.map(\.reason) == [.goRuntime, .staticallyLinked])
        #expect(
            untraced.first?.description == "pid 10 /tmp/goserver: a Go program (it makes its socket calls without libc)"
        )
        #expect(tracker.command(of: 11) == "python3" && tracker.command(of: 12) == "python3")
        #expect(tracker.pids == [10, 11, 12])
    }

    @Test("a failed exec, a spawn answered before or after, a dropped environment, a Go program that started")
    func otherCases() {
        var tracker = ProcessTracker()
        tracker.note(Self.event(.exec, 20, path: "/nonexistent"))
        tracker.note(Self.event(.execFailed, 20))
        tracker.note(Self.event(.start, 21, path: "/usr/bin/curl", command: "curl"))
        tracker.note(Self.event(.spawn, 21, by: 20, path: "/usr/bin/curl"))  // the child's start came first
        tracker.note(Self.event(.spawn, 22, by: 20, path: "/usr/bin/env"))
        tracker.note(Self.event(.start, 22, path: "/usr/bin/env"))
        tracker.note(Self.event(.exec, 23, path: "/usr/bin/python3", carriesTrace: false))
        tracker.note(Self.event(.start, 24, path: "/tmp/gocgo", command: "gocgo"))
        let untraced = tracker.untraced(linkage: Self.linkage)
        #expect(
            untraced == [
                UntracedProcess(pid: 23, path: "/usr/bin/python3", reason: .environmentDropped),
                UntracedProcess(pid: 24, path: "/tmp/gocgo", reason: .goRuntime),
            ]
        )
    }

    @Test("the program the recorder started is expected: no start from it is reported")
    func programNeverStarted() {
        var tracker = ProcessTracker()
        tracker.expect(program: 30, path: "/usr/bin/ping", time: Self.time)
        let untraced = tracker.untraced(linkage: { _ in .dynamic })
        #expect(untraced.count == 1 && untraced.first?.pid == 30)
        #expect(untraced.first.map { "\($0.reason)" }?.contains("did not load libSeamPreload.so") == true)
    }

    @Test("living: this test process runs, a pid that is not there does not")
    func living() {
        #expect(ProcessTracker.isRunning(UInt32(getpid())))
        #expect(!ProcessTracker.isRunning(UInt32(Int32.max)))
    }
}
