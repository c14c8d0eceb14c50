/// Frames length-prefixed messages (`len:…`, `struct:i`, `dns-tcp`).
///
/// ```
///  |<------------- header ------------->|
///  +------------------+-----------------+---------------------------------+
///  | offset bytes     | length field    | body: length + adjustment bytes |
///  +------------------+-----------------+---------------------------------+
///  (with `incl`, length + adjustment counts the whole message, header included)
/// ```
///
/// States: `waitingForHeader` (keeps at most the header's bytes) and `waitingForFrame(start:remaining:)` (skips
/// the body by count, keeping nothing). A gap inside a body keeps sync (the message is reported incomplete); a
/// gap anywhere else loses it, since the next header cannot be found.
struct LengthFieldDecoder: MessageDecoder {
    enum State: Hashable {
        case waitingForHeader
        case waitingForFrame(start: UInt64, remaining: UInt64, isComplete: Bool)
    }

    let prefix: LengthPrefix
    private(set) var state: State = .waitingForHeader

    init(prefix: LengthPrefix) {
        self.prefix = prefix
    }

    mutating func decode(_ buffer: inout FramingBuffer) throws(FramingError) -> FramedMessage? {
        if state == .waitingForHeader {
            let headerSize = prefix.headerSize
            guard buffer.readableBytes >= headerSize, buffer.readableBytes > 0 else { return nil }
            let start = buffer.readerOffset
            guard prefix.offset >= 0 else {
                throw FramingError(offset: start, reason: "length field offset \(prefix.offset) is negative")
            }
            let total = try messageLength(header: buffer.bytes(prefix.offset..<headerSize), at: start)
            buffer.consume(headerSize)
            state = .waitingForFrame(start: start, remaining: total - UInt64(headerSize), isComplete: true)
        }
        guard case .waitingForFrame(let start, let remaining, let isComplete) = state else { return nil }
        let taken = min(remaining, UInt64(buffer.readableBytes))
        buffer.consume(Int(taken))
        guard taken == remaining else {
            state = .waitingForFrame(start: start, remaining: remaining - taken, isComplete: isComplete)
            return nil
        }
        state = .waitingForHeader
        return FramedMessage(range: start..<buffer.readerOffset, isComplete: isComplete)
    }

    mutating func decodeLast(_ buffer: inout FramingBuffer) throws(FramingError) -> FramedMessage? {
        if let message = try decode(&buffer) { return message }
        switch state {
        case .waitingForHeader:
            guard buffer.readableBytes > 0 else { return nil }
            let start = buffer.readerOffset
            buffer.consumeAll()
            return FramedMessage(range: start..<buffer.readerOffset, isComplete: false)
        case .waitingForFrame(let start, _, _):
            state = .waitingForHeader
            return FramedMessage(range: start..<buffer.readerOffset, isComplete: false)
        }
    }

    mutating func skipGap(_ buffer: inout FramingBuffer, length: UInt64, into messages: inout [FramedMessage]) -> Bool {
        let gapEnd = buffer.endOffset + length
        switch state {
        case .waitingForHeader:
            if buffer.readableBytes > 0 {
                messages.append(FramedMessage(range: buffer.readerOffset..<gapEnd, isComplete: false))
            }
            return false
        case .waitingForFrame(let start, let remaining, _):
            if length < remaining {
                state = .waitingForFrame(start: start, remaining: remaining - length, isComplete: false)
                return true
            }
            let end = buffer.endOffset + remaining
            messages.append(FramedMessage(range: start..<end, isComplete: false))
            state = .waitingForHeader
            return length == remaining
        }
    }

    /// The whole message's length (header included) from the length field's bytes.
    private func messageLength(header field: [UInt8], at start: UInt64) throws(FramingError) -> UInt64 {
        let headerSize = Int64(prefix.headerSize)
        guard let value = prefix.field.value(of: field) else {
            throw FramingError(offset: start, reason: "\(prefix.field.rawValue) length field value is too large")
        }
        guard value >= 0 else {
            throw FramingError(offset: start, reason: "negative length \(value) in the \(prefix.field.rawValue) field")
        }
        let (adjusted, overflow) = value.addingReportingOverflow(Int64(prefix.adjustment))
        guard !overflow, adjusted < Int64.max - headerSize else {
            throw FramingError(offset: start, reason: "length \(value) is too large")
        }
        if prefix.includesHeader {
            guard adjusted >= headerSize else {
                throw FramingError(
                    offset: start,
                    reason: "length \(value) (adjusted \(adjusted)) is smaller than the \(headerSize)-byte header"
                )
            }
            return UInt64(adjusted)
        }
        guard adjusted >= 0 else {
            throw FramingError(offset: start, reason: "length \(value) adjusted by \(prefix.adjustment) is negative")
        }
        return UInt64(adjusted + headerSize)
    }
}
