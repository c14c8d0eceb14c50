import Foundation
import SeamTestSupport
import Testing

/// `seam report FILE FILE...` as a user runs it: the reports in argument order, each as `seam report FILE`
/// alone prints it; `--format jsonl` the lines of each file in turn.
@Suite struct ReportFilesCommandTests {
    static let binary = CommandLineTests.binary
    static let stems = ["small-recv-bug", "echo-upper", "command-output-bug", "udp-truncation-bug", "small-recv-fix"]
    static var paths: [String] {
        stems.map { DemoCaptureGoldenTests.captures.appendingPathComponent("\($0).pcapng").path }
    }

    @Test(.enabled(if: binary != nil, "the seam binary is not built (swift build)"))
    func severalFilesInArgumentOrder() throws {
        for format in ["text", "jsonl"] {
            let together = try CommandLineTests.seam(["report", "--format", format] + Self.paths)
            #expect(together.status == 0, "\(together.stderr)")
            var alone: [String] = []
            for path in Self.paths {
                let one = try CommandLineTests.seam(["report", "--format", format, path])
                #expect(one.status == 0)
                alone.append(one.stdout)
            }
            #expect(together.stdout == alone.joined(separator: format == "text" ? "\n" : ""), "\(format)")
        }
    }

    @Test(.enabled(if: binary != nil, "the seam binary is not built (swift build)"))
    func severalFilesAsJSONArrayAndCheck() throws {
        let json = try CommandLineTests.seam(["report", "--format", "json"] + Self.paths)
        #expect(json.status == 0)
        let reports = try #require(try JSONSerialization.jsonObject(with: json.bytes) as? [[String: Any]])
        #expect(reports.map { $0["file"] as? String } == Self.paths.map { $0 })
        let check = try CommandLineTests.seam(["report", "--check", "--format", "jsonl"] + Self.paths)
        #expect(check.status == 3)
        let missing = try CommandLineTests.seam(["report", Self.paths[0], "/nonexistent/b.pcap", Self.paths[1]])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("/nonexistent/b.pcap"))
        #expect(missing.stdout.contains(Self.paths[1]))
        let html = try CommandLineTests.seam(["report", "--format", "html", "-o", "/dev/null"] + Self.paths)
        #expect(html.status == 2)
    }
}
