import SeamCore

/// Where one side's bytes divide into messages for the replay: by the framing when one is given (bytes the
/// framing leaves unfinished are one last message), else by the recorded chunks (the sender's calls).
public enum MessageCuts {
    /// The message ranges of `bytes`, consecutive from 0 and covering all of them.
    public static func messages(
        of bytes: [UInt8],
        chunks: [RecordedExchange.Chunk],
        framing: FramingSpec?,
        direction: Direction
    ) -> [Range<Int>] {
        guard !bytes.isEmpty else { return [] }
        if let framing, framing.messageSource == .bytes {
            var framer = MessageFramer(spec: framing, direction: direction)
            var framed: [FramedMessage] = []
            try? framer.feed(bytes[...], at: 0, into: &framed)
            var ranges: [Range<Int>] = []
            var end = 0
            for message in framed where message.isComplete && Int(message.range.lowerBound) == end {
                ranges.append(end..<Int(message.range.upperBound))
                end = Int(message.range.upperBound)
            }
            if end < bytes.count { ranges.append(end..<bytes.count) }
            return ranges
        }
        return chunks.map(\.range).filter { !$0.isEmpty }
    }

    /// The header size of a framing's messages, when it has a fixed one (length prefixes: `len:…`, `struct:i`,
    /// `dns-tcp`): where the header/body boundary cuts are made.
    public static func headerSize(of framing: FramingSpec?) -> Int? {
        guard let prefix = framing?.lengthPrefix else { return nil }
        return prefix.headerSize
    }

    /// How many complete messages `framing` finds in `bytes` (`nil` without a framing), and their lengths.
    public static func framedLengths(of bytes: [UInt8], framing: FramingSpec?, direction: Direction) -> [Int]? {
        guard let framing, framing.messageSource == .bytes else { return nil }
        var framer = MessageFramer(spec: framing, direction: direction)
        var framed: [FramedMessage] = []
        try? framer.feed(bytes[...], at: 0, into: &framed)
        try? framer.finish(into: &framed)
        return framed.map { Int($0.range.count) }
    }
}
