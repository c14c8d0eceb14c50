/// How one side's messages are written in one replay: as recorded (one write per message), or changed by
/// `Change`s: a message cut after some of its bytes, two consecutive messages joined into one write.
/// With `pauseMilliseconds` between the pieces of a cut message, the kernel cannot join them again.
///
/// Written as `seam check --chunking` takes it (messages count from 0, like `seam report`):
///
/// ```
/// cut:2@3            message 2 cut after its byte 3
/// cut:0@1,join:4     message 0 cut after byte 1, messages 4 and 5 joined into one write
/// dribble:1,pause:1  message 1 written one byte at a time (its first 256 bytes), 1 ms apart
/// as-recorded        one write per message
/// ```
public struct Chunking: Hashable, Sendable, CustomStringConvertible {
    /// One change to the recorded writes.
    public enum Change: Hashable, Sendable, Comparable {
        /// Message `message` is cut after its byte `after` (1 ≤ after < its length).
        case cut(message: Int, after: Int)
        /// Messages `message` and `message + 1` go out as one write.
        case join(message: Int)
    }

    /// The most bytes of one message a dribble writes one at a time.
    public static let dribbleLimit = 256

    /// The changes, in order; a dribble is its cuts.
    public var changes: [Change]
    /// Milliseconds between the pieces of a cut message.
    public var pauseMilliseconds: Int
    /// How the chunking was made, for the finding (`dribble`, `random`); not part of its identity.
    public var origin: Origin = .chosen

    /// Where a chunking came from.
    public enum Origin: String, Hashable, Sendable {
        case chosen
        case dribble
        case random
    }

    public init(_ changes: [Change], pauseMilliseconds: Int, origin: Origin = .chosen) {
        self.changes = Array(Set(changes)).sorted()
        self.pauseMilliseconds = pauseMilliseconds
        self.origin = origin
    }

    /// One write per message.
    public static func asRecorded(pauseMilliseconds: Int = 0) -> Chunking {
        Chunking([], pauseMilliseconds: pauseMilliseconds)
    }

    /// Message `message` of `length` bytes written one byte at a time (its first `dribbleLimit` bytes).
    public static func dribble(message: Int, length: Int, pauseMilliseconds: Int) -> Chunking {
        let cuts = (1..<max(1, min(length, dribbleLimit + 1))).map { Change.cut(message: message, after: $0) }
        return Chunking(cuts, pauseMilliseconds: pauseMilliseconds, origin: .dribble)
    }

    public var isAsRecorded: Bool { changes.isEmpty }

    public static func == (lhs: Chunking, rhs: Chunking) -> Bool {
        lhs.changes == rhs.changes && lhs.pauseMilliseconds == rhs.pauseMilliseconds
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(changes)
        hasher.combine(pauseMilliseconds)
    }

    /// One write of a replay.
    public struct Write: Hashable, Sendable {
        /// The bytes on the side's axis.
        public var range: Range<Int>
        /// The messages this write finishes (empty for a piece that ends inside a message).
        public var finishes: Range<Int>
        /// The message its first byte belongs to.
        public var firstMessage: Int
        /// Whether this write is a piece of a cut message (or ends in one) rather than whole messages.
        public var isPiece: Bool
        /// Whether it holds the ends of several messages (a join).
        public var isJoin: Bool { finishes.count > 1 }
    }

    /// The writes of messages `messages` (consecutive ranges from 0) under this chunking.
    public func writes(of messages: [Range<Int>]) -> [Write] {
        guard let total = messages.last?.upperBound, total > 0 else { return [] }
        var boundaries = Set(messages.map(\.upperBound))
        var cuts = Set<Int>()
        for change in changes {
            switch change {
            case .cut(let message, let after):
                guard message < messages.count, after > 0, after < messages[message].count else { continue }
                cuts.insert(messages[message].lowerBound + after)
            case .join(let message):
                guard message + 1 < messages.count else { continue }
                boundaries.remove(messages[message].upperBound)
            }
        }
        boundaries.formUnion(cuts)
        let ends = messages.map(\.upperBound)
        var writes: [Write] = []
        var start = 0
        var finished = 0
        var messageIndex = 0
        for end in boundaries.sorted() where end > start && end <= total {
            while messageIndex < messages.count && messages[messageIndex].upperBound <= start { messageIndex += 1 }
            var last = finished
            while last < ends.count && ends[last] <= end { last += 1 }
            let endsInside = !ends.contains(end)
            writes.append(
                Write(
                    range: start..<end,
                    finishes: finished..<last,
                    firstMessage: messageIndex,
                    isPiece: endsInside || cuts.contains(start)
                )
            )
            finished = last
            start = end
        }
        return writes
    }

    /// The chunking as `--chunking` takes it.
    public var description: String {
        guard !changes.isEmpty else { return "as-recorded" }
        var words: [String] = []
        var dribbled: [Int: Int] = [:]
        for case .cut(let message, _) in changes { dribbled[message, default: 0] += 1 }
        var written = Set<Int>()
        for change in changes {
            switch change {
            case .cut(let message, let after):
                if origin == .dribble, dribbled[message]! > 1 {
                    if written.insert(message).inserted { words.append("dribble:\(message)") }
                } else {
                    words.append("cut:\(message)@\(after)")
                }
            case .join(let message):
                words.append("join:\(message)")
            }
        }
        words.append("pause:\(pauseMilliseconds)")
        return words.joined(separator: ",")
    }

    /// Parses `--chunking`: `as-recorded`, or words `cut:M@B`, `join:M`, `dribble:M`, `pause:MS` with commas.
    /// - Parameter lengths: the messages' lengths, for `dribble`.
    public init(parsing text: String, lengths: [Int], defaultPause: Int) throws(ChunkingError) {
        var changes: [Change] = []
        var pause = defaultPause
        var origin = Origin.chosen
        if text == "as-recorded" {
            self.init([], pauseMilliseconds: pause)
            return
        }
        for word in text.split(separator: ",") {
            let parts = word.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { throw ChunkingError(text: text, word: String(word)) }
            let value = parts[1]
            switch parts[0] {
            case "cut":
                let numbers = value.split(separator: "@")
                guard numbers.count == 2, let message = Int(numbers[0]), let after = Int(numbers[1]), message >= 0,
                    after >= 1
                else { throw ChunkingError(text: text, word: String(word)) }
                changes.append(.cut(message: message, after: after))
            case "join":
                guard let message = Int(value), message >= 0 else {
                    throw ChunkingError(text: text, word: String(word))
                }
                changes.append(.join(message: message))
            case "dribble":
                guard let message = Int(value), message >= 0, message < lengths.count else {
                    throw ChunkingError(text: text, word: String(word))
                }
                changes += Chunking.dribble(message: message, length: lengths[message], pauseMilliseconds: 0).changes
                origin = .dribble
            case "pause":
                guard let milliseconds = Int(value), milliseconds >= 0 else {
                    throw ChunkingError(text: text, word: String(word))
                }
                pause = milliseconds
            default:
                throw ChunkingError(text: text, word: String(word))
            }
        }
        self.init(changes, pauseMilliseconds: pause, origin: origin)
    }
}

/// A `--chunking` that does not parse.
public struct ChunkingError: Error, Hashable, Sendable, CustomStringConvertible {
    public var text: String
    public var word: String
    public var description: String {
        "--chunking '\(text)': '\(word)' is not cut:M@B, join:M, dribble:M, pause:MS or as-recorded"
    }
}
