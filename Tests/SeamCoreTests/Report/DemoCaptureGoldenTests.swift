import Foundation
import SeamCore
import Testing

/// `captures/LESSON.pcapng` are sessions that `seam demo LESSON --record` wrote (peers' own calls, the
/// proxy's calls, both legs captured); `captures/LESSON.txt` is `seam report` of each. Re-analysing a file
/// must give its text again, and tshark must open it.
@Suite(.serialized)
struct DemoCaptureGoldenTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let captures = root.appendingPathComponent("captures")

    /// Lesson → framing, as in captures/framings.txt (lessons not listed use none).
    static let framings: [String: String] = {
        let text = (try? String(contentsOf: captures.appendingPathComponent("framings.txt"), encoding: .utf8)) ?? ""
        var map: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ")
            if words.count == 2 { map[String(words[0])] = String(words[1]) }
        }
        return map
    }()

    static let lessons = [
        "echo-upper", "udp-echo", "command-output", "sender-coalescing", "receiver-backlog", "small-recv",
        "udp-truncation", "length-then-ack", "struct-header", "json-header", "send-vs-sendall", "empty-message",
    ]

    @Test("Re-analysing captures/LESSON.pcapng gives captures/LESSON.txt", arguments: lessons)
    func golden(lesson: String) throws {
        let path = Self.captures.appendingPathComponent("\(lesson).pcapng").path
        let framing = try Self.framings[lesson].map { try FramingSpec(parsing: $0) }
        var report = try ReportBuilder.build(path: path, options: ReportOptions(framing: framing))
        report.file = "captures/\(lesson).pcapng"
        let expected = try String(contentsOf: Self.captures.appendingPathComponent("\(lesson).txt"), encoding: .utf8)
        #expect(report.text(color: false) == expected)
        #expect(report.layers.contains(.send) && report.layers.contains(.recv))
        #expect(report.layers.contains(.segment) || report.layers.contains(.datagram))
    }

    @Test(
        "tshark opens every demo capture",
        .enabled(if: Tshark.isAvailable, "tshark not installed"),
        arguments: lessons
    )
    func tsharkOpens(lesson: String) throws {
        let path = Self.captures.appendingPathComponent("\(lesson).pcapng").path
        let rows = try Tshark.fields(path, ["frame.number"])
        #expect(rows.count > 0)
    }

    @Test("The goldens hold the lessons' headline findings")
    func headlineFindings() throws {
        func text(_ lesson: String) throws -> String {
            try String(contentsOf: Self.captures.appendingPathComponent("\(lesson).txt"), encoding: .utf8)
        }
        #expect(try text("sender-coalescing").contains("coalesced at segment [sender-coalescing]"))
        #expect(try text("receiver-backlog").contains("coalesced at recv [receiver-backlog]"))
        #expect(try text("udp-truncation").contains("truncated at recv [rechunk]"))
        #expect(try text("struct-header").contains("✓ no framing bug seen"))
        #expect(try text("struct-header").contains("every message boundary survived"))
    }
}
