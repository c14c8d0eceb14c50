import SeamCore

/// A chunking that changed what the program did: the reproducible answer of `seam check` (exit 3).
public struct CheckFinding: Sendable {
    /// The recorded connection it was found on.
    public var connection: Int
    /// The smallest chunking found that still changes the answers, and the one first found.
    public var chunking: Chunking
    public var found: Chunking
    /// What changed, in words.
    public var difference: String
    /// The word for the messages that were re-chunked: `request` (server check) or `answer` (client check).
    public var messageWord: String
    /// The messages' lengths, for the words.
    public var lengths: [Int]
    /// The replays the shrinking took.
    public var shrinkTries: Int
    /// The failing exchange's calls, for `-o`.
    public var calls: [SessionCall]

    /// "request 2 cut after byte 3: the server answered twice and then closed".
    public var sentence: String {
        "\(Self.describe(chunking, word: messageWord, lengths: lengths)): \(difference)"
    }

    /// A chunking in words: "request 2 cut after byte 3 (of 12), 20 ms apart".
    public static func describe(_ chunking: Chunking, word: String, lengths: [Int]) -> String {
        guard !chunking.isAsRecorded else { return "as recorded" }
        var cuts: [Int: [Int]] = [:]
        var joins: [Int] = []
        for change in chunking.changes {
            switch change {
            case .cut(let message, let after): cuts[message, default: []].append(after)
            case .join(let message): joins.append(message)
            }
        }
        var parts: [String] = []
        for message in cuts.keys.sorted() {
            let after = cuts[message]!.sorted()
            let length = message < lengths.count ? lengths[message] : nil
            let of = length.map { " (of \($0))" } ?? ""
            if after.count > 3, after == Array(1...after.count) {
                parts.append(
                    "\(word) \(message) written one byte at a time"
                        + (after.count + 1 < (length ?? 0) ? " (its first \(after.count) bytes)" : "")
                )
            } else if after.count == 1 {
                parts.append("\(word) \(message) cut after byte \(after[0])\(of)")
            } else {
                parts.append(
                    "\(word) \(message) cut after bytes \(after.map(String.init).joined(separator: ", "))\(of)"
                )
            }
        }
        for message in joins.sorted() {
            parts.append("\(word)s \(message) and \(message + 1) joined into one write")
        }
        if !cuts.isEmpty, chunking.pauseMilliseconds > 0 {
            parts[parts.count - 1] += ", pieces \(chunking.pauseMilliseconds) ms apart"
        }
        return parts.joined(separator: "; ")
    }
}
