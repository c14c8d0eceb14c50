import SeamCore
import SeamTestSupport
import Testing

@testable import SeamWatch

#if canImport(Glibc)
import Glibc
#endif

extension WatchTests {
    /// The `seam watch` command and `seam trace --method`, run as a user would (the built binary).
    @Suite("seam watch command")
    struct WatchCommandTests {
        typealias Support = WatchTestSupport

        @Test("without the privilege, seam watch says exactly what is missing and exits 1")
        func noPrivilege() throws {
            let seam = try #require(PackageRoot.seamBinary, "\(PackageRoot.seamBinaryMissing)")
            let (status, _, err) = try Support.run(
                [seam, "watch", "--", "true"],
                environment: ["SEAM_NO_BPF_PRIVILEGE=1"]
            )
            #expect(status == 1)
            #expect(err.contains("lacks CAP_BPF and CAP_PERFMON"))
            #expect(err.contains("setcap cap_bpf,cap_perfmon"))
        }

        @Test("nothing to watch, or a bad option, is a usage error (exit 2)")
        func usage() throws {
            let seam = try #require(PackageRoot.seamBinary, "\(PackageRoot.seamBinaryMissing)")
            let (status, _, err) = try Support.run([seam, "watch"])
            #expect(status == 2 && err.contains("needs something to watch"))
            let (tooLong, _, message) = try Support.run([seam, "watch", "--comm", "a-name-longer-than-fifteen"])
            #expect(tooLong == 2 && message.contains("1 to 15 bytes"))
            let (snap, _, _) = try Support.run([seam, "watch", "--port", "80", "--snaplen", "70000"])
            #expect(snap == 2)
        }

        @Test("seam trace without the eBPF privilege says it uses LD_PRELOAD", .enabled(if: Support.hasTool("python3")))
        func traceFallsBackToPreload() throws {
            let seam = try #require(PackageRoot.seamBinary, "\(PackageRoot.seamBinaryMissing)")
            let (status, _, err) = try Support.run(
                [seam, "trace", "--", "python3", "-c", "pass"],
                environment: ["SEAM_NO_BPF_PRIVILEGE=1"]
            )
            #expect(status == 0)
            #expect(err.contains("recording with LD_PRELOAD (eBPF not permitted: no CAP_BPF/CAP_PERFMON)"))
        }

        @Test(
            "seam watch --record: calls and segments in one session; seam report puts them on one byte axis",
            .enabled(if: Support.canWatch && Support.hasTool("python3"), "\(Support.bpfProblem ?? "needs python3")")
        )
        func recordAndReport() throws {
            let seam = try #require(PackageRoot.seamBinary, "\(PackageRoot.seamBinaryMissing)")
            let path = temporaryPath("watch-command.pcapng")
            defer { unlink(path) }
            let (status, _, err) = try Support.run([
                seam, "watch", "--record", path, "--", "python3", Support.fixtures + "/trace/sticky_pair.py",
            ])
            #expect(status == 0)
            #expect(err.contains("(eBPF)") && err.contains("pid ") && err.contains("(python3)"))
            let (reported, report, _) = try Support.run([seam, "report", path])
            #expect(reported == 0)
            #expect(report.contains("layers observed: send, segment, recv"))
            #expect(report.contains("mode=watch"))
        }

        @Test(
            "seam trace --method ebpf records a static Go program, which LD_PRELOAD refuses",
            .enabled(if: Support.canWatch, "\(Support.bpfProblem ?? "")")
        )
        func traceWithEBPF() throws {
            let seam = try #require(PackageRoot.seamBinary, "\(PackageRoot.seamBinaryMissing)")
            let binary = try #require(RealProgramTests.goPair, "needs go (golang-go) to build the fixture")
            let portFile = temporaryPath("trace-gopair.port")
            defer { unlink(portFile) }
            let command = "'\(binary)' server '\(portFile)' & '\(binary)' client '\(portFile)'; wait"
            let (status, out, err) = try Support.run([seam, "trace", "--method", "ebpf", "--", "sh", "-c", command])
            #expect(status == 0 && out == "HELLO\nFENG\n")
            #expect(err.contains("recording with eBPF"))
            #expect(err.contains("connect, send 6, send 5"))
            let (refused, _, message) = try Support.run([seam, "trace", "--method", "preload", "--", binary, "x", "y"])
            #expect(refused == 1 && message.contains("Go program"))
        }
    }
}
