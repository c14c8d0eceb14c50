import SeamCore
import Testing

@testable import SeamTrace

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Programs the library cannot enter, run by a traced program: each is named, never a silent "0 calls".
@Suite("Untraced programs", .serialized)
struct UntracedProgramTests {
    static let hasGo = TraceTestSupport.hasTool("go")
    static let hasCC = TraceTestSupport.hasTool("cc")

    @Test(
        "sh -c ./static-go: a warning names the Go program, and seam exits 1 (--allow-untraced: 0)",
        .enabled(if: hasGo, "needs go (Debian: golang-go)")
    )
    func goUnderShell() throws {
        let seam = try #require(TraceTestSupport.seam, "seam is not built in \(TraceTestSupport.buildDirectory)")
        let binary = TraceTestSupport.temporaryPath("goecho")
        defer { unlink(binary) }
        let built = try TraceTestSupport.run(
            ["env", "CGO_ENABLED=0", "go", "build", "-o", binary, TraceTestSupport.fixtures + "/goecho/main.go"],
            name: "gobuild"
        )
        try #require(built.status == 0, "go build failed: \(built.err)")
        #expect(ProgramLinkage.inspect(path: binary) == .goRuntime)
        let (outcome, calls) = try TraceTestSupport.trace("sh", ["-c", binary])
        #expect(outcome.exitStatus == 0 && calls.isEmpty)
        #expect(outcome.untraced.map(\.path) == [binary] && outcome.untraced.first?.reason == .goRuntime)
        let traced = try TraceTestSupport.run([seam, "trace", "--method", "preload", "--", "sh", "-c", binary], name: "seamgo")
        #expect(traced.out == "hello from go\n")
        #expect(traced.status == 1)
        #expect(traced.err.contains("warning: 1 process of sh ran without the trace"))
        #expect(traced.err.contains("\(binary): a Go program"))
        let allowed = try TraceTestSupport.run(
            [seam, "trace", "--method", "preload", "--allow-untraced", "--", "sh", "-c", binary],
            name: "allow"
        )
        #expect(allowed.status == 0 && allowed.err.contains("a Go program"))
    }

    @Test("a static C program exec'd by sh, and an exec that drops LD_PRELOAD, are named", .enabled(if: hasCC, "needs cc"))
    func staticAndDroppedEnvironment() throws {
        let source = TraceTestSupport.temporaryPath("static-hello.c")
        let binary = TraceTestSupport.temporaryPath("static-hello")
        defer {
            unlink(source)
            unlink(binary)
        }
        let fd = open(source, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        _ = "int main(void) { return 0; }\n".withCString { write(fd, $0, strlen($0)) }
        close(fd)
        let compiled = try TraceTestSupport.run(["cc", "-static", "-o", binary, source], name: "cc")
        guard compiled.status == 0 else {
            print("skipped: cc -static failed (no static libc?): \(compiled.err)")
            return
        }
        let (outcome, _) = try TraceTestSupport.trace("sh", ["-c", "\(binary); env -u LD_PRELOAD /bin/true; true"])
        #expect(outcome.exitStatus == 0)
        let reasons = Dictionary(outcome.untraced.map { ($0.path, $0.reason) }, uniquingKeysWith: { first, _ in first })
        #expect(reasons[binary] == .staticallyLinked, "\(outcome.untraced)")
        #expect(reasons.values.contains(.environmentDropped), "\(outcome.untraced)")
        #expect(outcome.untraced.count == 2)
    }

    @Test("a dynamic program run by sh is traced and not reported")
    func dynamicIsNotReported() throws {
        let (outcome, _) = try TraceTestSupport.trace("sh", ["-c", "/bin/true; ls / > /dev/null"])
        #expect(outcome.exitStatus == 0 && outcome.untraced.isEmpty, "\(outcome.untraced)")
    }
}
