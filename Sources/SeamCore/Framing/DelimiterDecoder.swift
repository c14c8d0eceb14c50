/// Frames messages that end with a delimiter (`line`, `crlf`, `delim:X`); the delimiter belongs to the message.
///
/// ```
///  +---------------------+-------+---------------------+-------+----------------
///  | message bytes       | DELIM | message bytes       | DELIM | unfinished ...
///  +---------------------+-------+---------------------+-------+----------------
///  ^ start                       ^ start                       ^ start
/// ```
///
/// States: `waitingForMessage`, `scanning(start:)` (bytes seen, no delimiter yet) and `resyncing(start:)` (a gap
/// cut the message: the next delimiter ends an incomplete message, and framing goes on in sync after it).
/// Bytes are scanned as they arrive and consumed; only the last `delimiter.count - 1` bytes, which may be the
/// start of a delimiter, are kept, plus up to 33 bytes for the summary.
struct DelimiterDecoder: MessageDecoder {
    enum State: Hashable {
        case waitingForMessage
        case scanning(start: UInt64)
        case resyncing(start: UInt64)
    }

    let delimiter: [UInt8]
    private(set) var state: State = .waitingForMessage
    /// The message's first bytes (one more than the summary shows, to know it was cut).
    private var head = SummaryHead()

    /// `delimiter` must not be empty (a spec that `FramingSpec(parsing:)` made never is); an empty one makes
    /// `decode` throw.
    init(delimiter: [UInt8]) {
        self.delimiter = delimiter
    }

    mutating func decode(_ buffer: inout FramingBuffer) throws(FramingError) -> FramedMessage? {
        guard buffer.readableBytes > 0 else { return nil }
        guard !delimiter.isEmpty else { throw FramingError(offset: buffer.readerOffset, reason: "empty delimiter") }
        if state == .waitingForMessage {
            state = .scanning(start: buffer.readerOffset)
            head = SummaryHead()
        }
        guard let found = buffer.firstIndex(of: delimiter) else {
            let scanned = buffer.readableBytes - min(delimiter.count - 1, buffer.readableBytes)
            take(scanned, from: &buffer)
            return nil
        }
        take(found + delimiter.count, from: &buffer)
        return finishMessage(end: buffer.readerOffset)
    }

    mutating func decodeLast(_ buffer: inout FramingBuffer) throws(FramingError) -> FramedMessage? {
        if let message = try decode(&buffer) { return message }
        guard state != .waitingForMessage else { return nil }
        take(buffer.readableBytes, from: &buffer)
        var message = finishMessage(end: buffer.readerOffset)
        message.isComplete = false
        return message
    }

    mutating func skipGap(_ buffer: inout FramingBuffer, length: UInt64, into messages: inout [FramedMessage]) -> Bool {
        switch state {
        case .waitingForMessage: state = .resyncing(start: buffer.readerOffset)
        case .scanning(let start): state = .resyncing(start: start)
        case .resyncing: break
        }
        return true
    }

    /// Consumes `count` bytes of the message in progress, keeping the first ones for the summary.
    private mutating func take(_ count: Int, from buffer: inout FramingBuffer) {
        let wanted = head.wanted
        if wanted > 0, count > 0, case .scanning = state {
            buffer.copyPrefix(min(count, wanted), into: &head)
        }
        buffer.consume(count)
    }

    private mutating func finishMessage(end: UInt64) -> FramedMessage {
        let message: FramedMessage
        switch state {
        case .scanning(let start):
            message = FramedMessage(range: start..<end, head: head)
        case .resyncing(let start):
            message = FramedMessage(range: start..<end, isComplete: false)
        case .waitingForMessage:
            message = FramedMessage(range: end..<end, isComplete: false)
        }
        state = .waitingForMessage
        return message
    }
}
