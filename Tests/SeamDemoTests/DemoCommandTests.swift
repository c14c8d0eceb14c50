import Foundation
import SeamDemo
import SeamTestSupport
import Testing

/// `seam demo` as a user runs it: the list says each lesson's bug and fix, a variant that does not exist is a
/// usage error, and a lesson writes one session (and HTML page) per variant.
@Suite(.serialized)
struct DemoCommandTests {
    static let binary = PackageRoot.seamBinary

    static func seam(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(binary))
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self)
        )
    }

    @Test(
        "--list: every lesson, then each variant with the verdicts Seam gives it, in 120 columns",
        .enabled(if: binary != nil, "needs the seam binary: run swift build first")
    )
    func list() throws {
        let result = try Self.seam(["demo", "--list"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.allSatisfy { $0.count <= 120 }, "\(lines.filter { $0.count > 120 })")
        for lesson in Lesson.all { #expect(lines.contains { $0.contains(". \(lesson.name) ") }, "\(lesson.name)") }
        #expect(lines.contains { $0.hasPrefix("      bug: ") && $0.hasSuffix("→ ✗ unanswered") })
        #expect(lines.contains { $0.hasPrefix("      bug (proxy-only): ") && $0.hasSuffix("→ ✗ stopped-reading") })
        #expect(lines.filter { $0.hasPrefix("      fix: ") }.allSatisfy { $0.hasSuffix("→ no verdict") })
        let variants = Lesson.all.map(\.variants.count).reduce(0, +)
        #expect(lines.count == Lesson.all.count + variants)
    }

    @Test(
        "A variant the lesson does not have is a usage error that names the ones it has",
        .enabled(if: binary != nil, "needs the seam binary: run swift build first")
    )
    func unknownVariant() throws {
        let result = try Self.seam(["demo", "small-recv", "--variant", "nope"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no variant 'nope'") && result.stderr.contains("bug, fix"))
    }

    @Test(
        "A lesson plays its bug, then its fix: one session and page each, and the verdicts summed up",
        .enabled(if: binary != nil, "needs the seam binary: run swift build first")
    )
    func bugThenFix() throws {
        let directory = NSTemporaryDirectory() + "seam-demo-command-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try Self.seam([
            "demo", "small-recv", "--no-capture", "--record", directory + "/s.pcapng", "--html", directory + "/s.html",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        for name in ["s-bug.pcapng", "s-fix.pcapng", "s-bug.html", "s-fix.html"] {
            #expect(FileManager.default.fileExists(atPath: directory + "/" + name), "\(name)")
        }
        #expect(result.stdout.contains("── The bug: ") && result.stdout.contains("── The fix: "))
        #expect(result.stdout.contains("Layer missing: segment"))
        #expect(result.stdout.contains("✗ acted-on-partial"))
        #expect(result.stdout.hasSuffix("Seam's verdicts — bug: ✗ acted-on-partial · fix: no verdict\n"))
        // The session remembers how to read it: seam report FILE alone gives the bug's verdict again.
        let report = try Self.seam(["report", directory + "/s-bug.pcapng", "--check"])
        #expect(report.status == 3)
        #expect(try Self.seam(["report", directory + "/s-fix.pcapng", "--check"]).status == 0)
    }
}
