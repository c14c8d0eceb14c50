import Foundation
import SeamCore
import Testing

/// `captures/STEM.pcapng` are sessions that `seam demo LESSON --variant VARIANT --record` wrote (the peers' own
/// calls, the proxy's calls, both legs captured), one per lesson variant: `small-recv-bug`, `small-recv-fix`,
/// or `LESSON` for a lesson with one program; `captures/STEM.txt` is `seam report` of each. Re-analysing a file
/// must give its text again, with the verdicts of its variant — the bug's, and none for a fix — and tshark
/// must open it.
@Suite(.serialized)
struct DemoCaptureGoldenTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let captures = root.appendingPathComponent("captures")

    /// Each file's report options, as in captures/framings.txt (`STEM FRAMING|- [pairing]`).
    static let manifest: [(stem: String, framing: String?, pairing: Bool)] = {
        let text = (try? String(contentsOf: captures.appendingPathComponent("framings.txt"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { line in
            let words = line.split(separator: " ").map(String.init)
            guard let stem = words.first else { return nil }
            return (stem, words.count > 1 && words[1] != "-" ? words[1] : nil, words.contains("pairing"))
        }
    }()

    /// The verdicts each golden holds, written here on their own (not taken from the lessons), so a lesson that
    /// stops showing its bug, or a rule that starts flagging a fix, fails this test.
    static let verdicts: [String: [Verdict.Kind]] = [
        "echo-upper": [], "udp-echo": [], "empty-message": [],
        "command-output-bug": [.actedOnPartial, .stoppedReading], "command-output-fix": [],
        "sender-coalescing-bug": [.unanswered], "sender-coalescing-fix": [],
        "receiver-backlog-bug": [.unanswered], "receiver-backlog-fix": [],
        "small-recv-bug": [.actedOnPartial], "small-recv-fix": [],
        "udp-truncation-bug": [.truncated], "udp-truncation-fix": [],
        "length-then-ack-bug": [.actedOnPartial, .stoppedReading], "length-then-ack-fix": [],
        "struct-header-bug": [.actedOnPartial, .stoppedReading], "struct-header-fix": [],
        "json-header-bug": [.actedOnPartial, .stoppedReading], "json-header-fix": [],
        "send-vs-sendall-bug": [.partialSend], "send-vs-sendall-fix": [],
        "close-unread-bug": [.stoppedReading], "close-unread-proxy-only": [.stoppedReading], "close-unread-fix": [],
    ]

    static var stems: [String] { manifest.map(\.stem) }

    static func report(_ stem: String) throws -> BoundaryReport {
        let entry = try #require(manifest.first { $0.stem == stem })
        var options = ReportOptions(framing: try entry.framing.map { try FramingSpec(parsing: $0) })
        options.pairsRequests = entry.pairing
        let path = captures.appendingPathComponent("\(stem).pcapng").path
        var report = try ReportBuilder.build(path: path, options: options)
        report.file = "captures/\(stem).pcapng"
        return report
    }

    @Test("Every variant has a golden and its verdicts are written down")
    func manifestIsComplete() {
        #expect(Set(Self.stems) == Set(Self.verdicts.keys))
        #expect(Self.stems.count == 24)
    }

    @Test("Re-analysing captures/STEM.pcapng gives captures/STEM.txt and the variant's verdicts", arguments: stems)
    func golden(stem: String) throws {
        let report = try Self.report(stem)
        let expected = try String(contentsOf: Self.captures.appendingPathComponent("\(stem).txt"), encoding: .utf8)
        #expect(report.text(color: false) == expected)
        #expect(report.layers.contains(.send) && report.layers.contains(.recv))
        #expect(report.layers.contains(.segment) || report.layers.contains(.datagram))
        let kinds = report.verdicts.map(\.kind).sorted { $0.rawValue < $1.rawValue }
        let wanted = (Self.verdicts[stem] ?? []).sorted { $0.rawValue < $1.rawValue }
        #expect(kinds == wanted, "\(stem)")
    }

    @Test("A session keeps its framing and pairing: seam report FILE alone gives the same verdicts", arguments: stems)
    func sessionSettingsSuffice(stem: String) throws {
        let path = Self.captures.appendingPathComponent("\(stem).pcapng").path
        let plain = try ReportBuilder.build(path: path)
        #expect(plain.verdicts.map(\.kind) == (try Self.report(stem)).verdicts.map(\.kind), "\(stem)")
    }

    @Test(
        "tshark opens every demo capture",
        .enabled(if: Tshark.isAvailable, "tshark not installed"),
        arguments: stems
    )
    func tsharkOpens(stem: String) throws {
        let path = Self.captures.appendingPathComponent("\(stem).pcapng").path
        let rows = try Tshark.fields(path, ["frame.number"])
        #expect(rows.count > 0)
    }

    @Test("The goldens hold the lessons' headline results")
    func headlineResults() throws {
        func text(_ stem: String) throws -> String {
            try String(contentsOf: Self.captures.appendingPathComponent("\(stem).txt"), encoding: .utf8)
        }
        #expect(try text("sender-coalescing-bug").contains("✗ unanswered"))
        #expect(try text("sender-coalescing-fix").contains("✓ no framing bug seen"))
        #expect(try text("sender-coalescing-fix").contains("inside a segment (sender coalescing)"))
        #expect(try text("receiver-backlog-fix").contains("(receiver backlog)"))
        #expect(try text("close-unread-proxy-only").contains("its kernel sent RST"))
        #expect(try text("struct-header-fix").contains("✓ no framing bug seen"))
    }
}
