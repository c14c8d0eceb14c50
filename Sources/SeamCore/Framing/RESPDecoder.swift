/// Frames the Redis serialization protocol (`resp`): one complete top-level value per message.
///
/// ```
///  *3\r\n  $3\r\n SET\r\n  $3\r\n foo\r\n  $3\r\n bar\r\n      one message: an array of 3 bulk strings
///  +OK\r\n                                                one message: a simple string
///  PING\r\n                                               one message: an inline command
///  type line:  <type byte><text>\r\n     bulk:  $<n>\r\n <n bytes> \r\n     aggregate:  *<n>\r\n <n values>
/// ```
///
/// RESP2 and RESP3 types: simple `+ - : _ # , (`, bulk `$ ! =` (`-1` is null), aggregates `*` `~` `>` (n values),
/// `%` (n pairs), `|` (n attribute pairs, then the value they annotate). A top-level line that starts with
/// no type byte is an inline command. States: `waitingForLine` (a type line, at most 64 KiB kept) and
/// `readingBulk(remaining:)` / `waitingForBulkEnd` (payloads are skipped by count). Open aggregates are a stack of
/// remaining element counts (at most 128 deep). A gap loses sync.
struct RESPDecoder: MessageDecoder {
    enum State: Hashable {
        case waitingForLine
        case readingBulk(remaining: UInt64)
        case waitingForBulkEnd
    }

    static let lineLimit = 64 * 1024
    static let depthLimit = 128
    /// The largest bulk length or element count accepted (2^32 - 1).
    static let lengthLimit = Int(UInt32.max)
    private static let nilWord: ArraySlice<UInt8> = Array("(nil)".utf8)[...]

    /// What a type byte starts: a one-line value, a bulk payload, an aggregate, or (unknown) an inline command.
    private enum TypeKind {
        case simple, bulk, aggregate, unknown

        init(_ type: UInt8) {
            switch type {
            case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: "_"), UInt8(ascii: "#"),
                UInt8(ascii: ","), UInt8(ascii: "("):
                self = .simple
            case UInt8(ascii: "$"), UInt8(ascii: "!"), UInt8(ascii: "="): self = .bulk
            case UInt8(ascii: "*"), UInt8(ascii: "~"), UInt8(ascii: ">"), UInt8(ascii: "%"), UInt8(ascii: "|"):
                self = .aggregate
            default: self = .unknown
            }
        }
    }

    /// The direction framed, when known: client messages are requests, server messages responses (but RESP3
    /// pushes, `>`), answered in order.
    let direction: Direction?
    private(set) var state: State = .waitingForLine
    /// The type byte of the top-level value in progress.
    private var topType: UInt8 = 0
    /// Start of the message in progress.
    private var start: UInt64?
    /// Remaining element counts of the open aggregates, innermost last.
    private var pending: [Int] = []
    /// Bytes of the current line already searched for its LF.
    private var scannedLineBytes = 0
    /// Summary parts: the top-level line, then up to two words from the elements.
    private var summaryHead = ""
    private var words: [String] = []
    private var word: [UInt8]?

    init(direction: Direction? = nil) {
        self.direction = direction
    }

    mutating func decode(_ buffer: inout FramingBuffer) throws(FramingError) -> FramedMessage? {
        while true {
            switch state {
            case .readingBulk(let remaining):
                let taken = min(remaining, UInt64(buffer.readableBytes))
                if word != nil, word!.count < SummaryText.byteLimit {
                    word! += buffer.bytes(0..<min(Int(taken), SummaryText.byteLimit - word!.count))
                }
                buffer.consume(Int(taken))
                guard taken == remaining else {
                    state = .readingBulk(remaining: remaining - taken)
                    return nil
                }
                state = .waitingForBulkEnd
            case .waitingForBulkEnd:
                guard buffer.readableBytes >= 2 else { return nil }
                guard buffer.byte(at: 0) == 0x0D, buffer.byte(at: 1) == 0x0A else {
                    throw FramingError(offset: buffer.readerOffset, reason: "RESP bulk string not followed by CR LF")
                }
                buffer.consume(2)
                state = .waitingForLine
                if let bytes = word {
                    addWord(bytes[...])
                    word = nil
                }
                if let message = valueDone(at: buffer.readerOffset) { return message }
            case .waitingForLine:
                guard buffer.readableBytes > 0 else { return nil }
                if start == nil { start = buffer.readerOffset }
                guard let newline = buffer.firstIndex(of: 0x0A, from: scannedLineBytes) else {
                    scannedLineBytes = buffer.readableBytes
                    guard buffer.readableBytes <= Self.lineLimit else {
                        throw FramingError(
                            offset: buffer.readerOffset,
                            reason: "RESP line longer than \(Self.lineLimit) bytes"
                        )
                    }
                    return nil
                }
                scannedLineBytes = 0
                let lineOffset = buffer.readerOffset
                var line = buffer.bytes(0..<min(newline, 64))
                if newline <= 64, line.last == 0x0D { line.removeLast() }
                buffer.consume(newline + 1)
                if let message = try handleLine(line, at: lineOffset, end: buffer.readerOffset) { return message }
            }
        }
    }

    mutating func decodeLast(_ buffer: inout FramingBuffer) throws(FramingError) -> FramedMessage? {
        if let message = try decode(&buffer) { return message }
        guard let start else { return nil }
        buffer.consumeAll()
        let message = FramedMessage(range: start..<buffer.readerOffset, isComplete: false, summary: summary)
        reset()
        return message
    }

    mutating func skipGap(_ buffer: inout FramingBuffer, length: UInt64, into messages: inout [FramedMessage]) -> Bool {
        if let start {
            let end = buffer.endOffset + length
            messages.append(FramedMessage(range: start..<end, isComplete: false, summary: summary))
        }
        reset()
        return false
    }

    /// One type line (without CR LF, at most its first 64 bytes) that began at `offset`.
    private mutating func handleLine(
        _ line: [UInt8],
        at offset: UInt64,
        end: UInt64
    ) throws(FramingError) -> FramedMessage? {
        let type = line.first ?? 0
        let isTopLevel = pending.isEmpty
        if isTopLevel {
            summaryHead = SummaryText.escaped(line)
            topType = type
        }
        let kind = TypeKind(type)
        if kind == .simple {
            if !isTopLevel { addWord(type == UInt8(ascii: "_") ? Self.nilWord : line.dropFirst()) }
            return valueDone(at: end)
        }
        if kind == .bulk || kind == .aggregate {
            guard let count = Int(String(decoding: line.dropFirst(), as: UTF8.self)), count >= -1 else {
                let text = SummaryText.escaped(line)
                throw FramingError(offset: offset, reason: "RESP length in \"\(text)\" is not a number ≥ -1")
            }
            // Redis itself refuses lengths past 512 MB and aggregates past 2^31 elements; bounding them here also
            // keeps `2 * count + 1` for maps and attributes from overflowing (found by the framing fuzzer).
            guard count <= Self.lengthLimit else {
                let text = SummaryText.escaped(line)
                throw FramingError(offset: offset, reason: "RESP length in \"\(text)\" is over \(Self.lengthLimit)")
            }
            if count == -1 {
                if !isTopLevel { addWord(Self.nilWord) }
                return valueDone(at: end)
            }
            if kind == .bulk {
                state = .readingBulk(remaining: UInt64(count))
                if words.count < 2 { word = [] }
                return nil
            }
            if count == 0 { return valueDone(at: end) }
            guard pending.count < Self.depthLimit else {
                throw FramingError(offset: offset, reason: "RESP aggregates nested deeper than \(Self.depthLimit)")
            }
            switch type {
            case UInt8(ascii: "%"): pending.append(2 * count)
            case UInt8(ascii: "|"): pending.append(2 * count + 1)
            default: pending.append(count)
            }
            return nil
        }
        guard isTopLevel else {
            let shown = type >= 0x20 && type < 0x7F ? " ('\(Character(Unicode.Scalar(type)))')" : ""
            throw FramingError(
                offset: offset,
                reason: "unknown RESP type byte 0x\(String(type, radix: 16))\(shown) inside an aggregate"
            )
        }
        return valueDone(at: end)
    }

    /// One value ended at `end`: closes the aggregates it completes; returns the message when it was the last.
    private mutating func valueDone(at end: UInt64) -> FramedMessage? {
        while let last = pending.last {
            if last > 1 {
                pending[pending.count - 1] = last - 1
                return nil
            }
            pending.removeLast()
        }
        var exchange: MessageExchange?
        switch direction {
        case .clientToServer?: exchange = .request(key: 0)
        case .serverToClient? where topType != UInt8(ascii: ">"): exchange = .response(key: 0)
        default: break
        }
        let message = FramedMessage(range: (start ?? end)..<end, summary: summary, exchange: exchange)
        reset()
        return message
    }

    private mutating func addWord(_ bytes: ArraySlice<UInt8>) {
        guard words.count < 2 else { return }
        words.append(SummaryText.escaped(bytes))
    }

    private var summary: String {
        words.isEmpty ? summaryHead : words.joined(separator: " ")
    }

    private mutating func reset() {
        start = nil
        pending.removeAll(keepingCapacity: true)
        words.removeAll(keepingCapacity: true)
        word = nil
        summaryHead = ""
        scannedLineBytes = 0
        state = .waitingForLine
    }
}
