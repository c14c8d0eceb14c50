import SeamCore

/// What the server did in one replay: the bytes it answered, how far they had come once each request was
/// answered, and how the connection ended.
public struct ServerAnswers: Sendable, Hashable {
    /// How the connection ended.
    public enum End: String, Sendable, Hashable {
        /// The server closed its side (end-of-file).
        case closed
        /// The server reset the connection.
        case reset
        /// The server kept the connection open after the replay closed its side.
        case open
    }

    /// Every byte the server sent.
    public var bytes: [UInt8] = []
    /// For each client message: how many bytes had come once it was answered (or its wait ran out).
    public var answeredThrough: [Int] = []
    /// How the connection ended.
    public var end: End = .open
    /// The client message after which the server closed or reset, when it did so before the replay's end.
    public var endedAfterMessage: Int?
    /// The client message whose answer did not come in time (fewer bytes than the baseline's by the wait's end).
    public var timedOutAfterMessage: Int?
    /// The reads that returned bytes.
    public var reads = 0
    /// The check's budget ran out during the run: its answers are not whole and compare with nothing.
    public var interrupted = false

    public init() {}
}

/// How a replay's answers differ from the baseline's; `nil` from `compare` when they do not.
public struct AnswerDifference: Sendable, Hashable, CustomStringConvertible {
    /// What differs, in words: "the server answered 3 times instead of 2 and then closed".
    public var words: String
    public var description: String { words }

    /// Compares `answers` with `baseline`: every byte (exact), or, when the baseline's answers vary between two
    /// as-recorded runs, only the answers' framed message lengths (or total length without a framing).
    public static func compare(
        _ answers: ServerAnswers,
        with baseline: ServerAnswers,
        framing: FramingSpec?,
        exact: Bool
    ) -> AnswerDifference? {
        var parts: [String] = []
        let framed = MessageCuts.framedLengths(of: answers.bytes, framing: framing, direction: .serverToClient)
        let expected = MessageCuts.framedLengths(of: baseline.bytes, framing: framing, direction: .serverToClient)
        if let framed, let expected, framed.count != expected.count {
            let instead = expected.count <= 2 ? times(expected.count) : String(expected.count)
            parts.append(
                "the server answered \(times(framed.count)) instead of \(instead)"
                    + firstOtherAnswer(answers.bytes, framed, baseline.bytes, expected)
            )
        } else if exact
            ? answers.bytes != baseline.bytes
            : (framed ?? [answers.bytes.count]) != (expected ?? [baseline.bytes.count])
        {
            if answers.bytes.count != baseline.bytes.count {
                parts.append("the server sent \(answers.bytes.count) bytes instead of \(baseline.bytes.count)")
            } else {
                let at = answers.bytes.indices.first { answers.bytes[$0] != baseline.bytes[$0] } ?? 0
                parts.append("the server's answers differ from byte \(at) on")
            }
            if let framed, let expected, framed != expected {
                parts[parts.count - 1] +=
                    " (message lengths \(framed.prefix(6).map(String.init).joined(separator: " ")) "
                    + "instead of \(expected.prefix(6).map(String.init).joined(separator: " ")))"
            }
        }
        // A late answer alone is latency, not a framing bug: it counts only beside another difference.
        if let message = answers.timedOutAfterMessage, baseline.timedOutAfterMessage == nil, !parts.isEmpty {
            parts.append("it did not answer message \(message) in time")
        }
        if answers.end != baseline.end || answers.endedAfterMessage != baseline.endedAfterMessage {
            switch answers.end {
            case .closed:
                parts.append(
                    answers.endedAfterMessage.map { "it closed the connection after message \($0)" }
                        ?? "and then closed the connection"
                )
            case .reset:
                parts.append(
                    answers.endedAfterMessage.map { "it reset the connection after message \($0)" }
                        ?? "and then reset the connection"
                )
            case .open:
                parts.append(
                    "it kept the connection open (as recorded it \(baseline.end == .reset ? "reset" : "closed") it)"
                )
            }
        }
        guard !parts.isEmpty else { return nil }
        var words = parts[0]
        if parts.count > 1 { words += ", " + parts.dropFirst().joined(separator: ", ") }
        return AnswerDifference(words: words)
    }

    /// ` (answer 1 was "got h\n", as recorded "got hello\n")`: the first framed answer that differs.
    private static func firstOtherAnswer(
        _ bytes: [UInt8],
        _ lengths: [Int],
        _ recorded: [UInt8],
        _ recordedLengths: [Int]
    )
        -> String
    {
        var start = 0
        var recordedStart = 0
        for (index, length) in lengths.enumerated() {
            let answer = bytes[start..<min(bytes.count, start + length)]
            let wanted =
                index < recordedLengths.count
                ? recorded[recordedStart..<min(recorded.count, recordedStart + recordedLengths[index])] : []
            if answer != wanted {
                let was = wanted.isEmpty ? "" : ", as recorded \(quoted(wanted))"
                return " (answer \(index) was \(quoted(answer))\(was))"
            }
            start += length
            recordedStart += index < recordedLengths.count ? recordedLengths[index] : 0
        }
        return ""
    }

    /// Bytes as a short quoted text, C escapes for the rest.
    private static func quoted(_ bytes: ArraySlice<UInt8>) -> String {
        var text = ""
        for byte in bytes.prefix(32) {
            switch byte {
            case 0x0A: text += "\\n"
            case 0x0D: text += "\\r"
            case 0x22: text += "\\\""
            case 0x20..<0x7F: text.unicodeScalars.append(Unicode.Scalar(byte))
            default: text += "\\x" + String(byte, radix: 16).leftPadded(2)
            }
        }
        return "\"" + text + (bytes.count > 32 ? "…" : "") + "\""
    }

    private static func times(_ count: Int) -> String {
        switch count {
        case 1: return "once"
        case 2: return "twice"
        default: return "\(count) times"
        }
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
