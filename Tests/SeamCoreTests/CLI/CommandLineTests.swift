import Foundation
import Testing

/// The `seam` binary as a user runs it: exit codes (0 ok, 1 failed, 2 usage), messages that name what was
/// wrong, and output on real files.
@Suite struct CommandLineTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let binary: String? = [".build/debug/seam", ".build/release/seam"].map { root.appendingPathComponent($0).path }
        .first { FileManager.default.isExecutableFile(atPath: $0) }
    static let corpus = root.deletingLastPathComponent().appendingPathComponent("shared/corpus/files").path

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var bytes: Data
    }

    static func seam(_ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary!)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self), bytes: stdout)
    }

    @Test(.enabled(if: binary != nil, "the seam binary is not built (swift build)"))
    func usageErrorsExitTwo() throws {
        let unknown = try Self.seam(["inspect", "x.pcap", "--bogus"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("--bogus"))
        let framing = try Self.seam(["report", "x.pcap", "--framing", "len:u24be"])
        #expect(framing.status == 2)
        #expect(framing.stderr.contains("u24be"))
        let raw = try Self.seam(["inspect", "x.pcap", "--raw"])
        #expect(raw.status == 2)
        #expect(raw.stderr.contains("--stream"))
    }

    @Test(.enabled(if: binary != nil, "the seam binary is not built (swift build)"))
    func failuresExitOneAndNameTheFile() throws {
        let missing = try Self.seam(["inspect", "/nonexistent/capture.pcap"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("/nonexistent/capture.pcap"))
        let truncated = "\(Self.corpus)/dpkt--truncated_dns_2.pcap"
        guard FileManager.default.fileExists(atPath: truncated) else {
            print("skipped: corpus not found at \(Self.corpus)")
            return
        }
        let cut = try Self.seam(["inspect", truncated])
        #expect(cut.status == 1)
        #expect(cut.stderr.contains("byte 240"))
        #expect(cut.stdout.contains("udp.0"))  // the packet before the fault was analysed
    }

    @Test(.enabled(if: binary != nil, "the seam binary is not built (swift build)"))
    func inspectListsFlowsAndWritesRawBytes() throws {
        let file = "\(Self.corpus)/tcpdump--dns_tcp.pcap"
        guard FileManager.default.fileExists(atPath: file) else {
            print("skipped: corpus not found at \(Self.corpus)")
            return
        }
        let listing = try Self.seam(["inspect", file])
        #expect(listing.status == 0)
        #expect(listing.stdout.contains("pcap, 11 packets, 1 TCP flow, 0 UDP flows"))
        #expect(listing.stdout.contains("tcp.0 192.168.1.11:33779 → 209.87.249.18:53"))
        let json = try Self.seam(["inspect", file, "--json"])
        #expect(json.stdout.contains("\"id\": \"tcp.0\""))
        let raw = try Self.seam(["inspect", file, "--stream", "tcp.0", "--dir", "c2s", "--raw"])
        #expect(raw.bytes.count == 58)
        let segments = try Self.seam(["inspect", file, "--segments", "tcp.0"])
        #expect(segments.stdout.split(separator: "\n").count == 13)  // header, column names, 11 packets
        let nope = try Self.seam(["inspect", file, "--segments", "tcp.7"])
        #expect(nope.status == 1)
        #expect(nope.stderr.contains("no flow tcp.7"))
    }

    @Test(.enabled(if: binary != nil, "the seam binary is not built (swift build)"))
    func reportOnAPlainCapture() throws {
        let file = "\(Self.corpus)/tcpdump--dns_tcp.pcap"
        guard FileManager.default.fileExists(atPath: file) else { return }
        let text = try Self.seam(["report", file, "--framing", "dns-tcp"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("✓ no framing bug seen, 1 flow"))
        let checked = try Self.seam(["report", file, "--framing", "dns-tcp", "--check"])
        #expect(checked.status == 0, "--check exits 0 without a verdict")
        let json = try Self.seam(["report", file, "--framing", "dns-tcp", "--format", "json"])
        #expect(json.stdout.contains("\"verdicts\": []"))
        #expect(json.stdout.contains("\"framing\": \"dns-tcp\""))
        #expect(json.stdout.contains("\"layers\": [\n    \"segment\"\n  ]"))
        let one = try Self.seam(["report", file, "--framing", "dns-tcp", "--flow", "tcp.0"])
        #expect(one.status == 0)
        #expect(one.stdout.contains("tcp.0 tcp"))
        let absent = try Self.seam(["report", file, "--flow", "tcp.7"])
        #expect(absent.status == 1)
        #expect(absent.stderr.contains("no flow tcp.7"))
        let malformed = try Self.seam(["report", file, "--flow", "tcp7"])
        #expect(malformed.status == 2)
        #expect(malformed.stderr.contains("--flow tcp7"))
    }
}
