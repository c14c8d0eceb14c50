/// Frames the seed's final protocol (`jsonhdr`): a `struct.pack('i')` length, a JSON header, then the body.
///
/// ```
///  +----------------+------------------------------------------+-----------------------+
///  | header length  | JSON header (header length bytes)        | body                  |
///  | i32 LE, 4 bytes| {"file_name": …, "total_size": N, …}     | N bytes               |
///  +----------------+------------------------------------------+-----------------------+
/// ```
///
/// States: `waitingForHeaderLength`, `waitingForHeader(start:length:)` (keeps the JSON header, at most 64 KiB)
/// and `waitingForBody(start:remaining:)` (skips the body by count). `total_size` is read at the header's top
/// level; `file_size` is accepted instead. A gap in a body keeps sync; elsewhere it loses it.
struct JSONHeaderDecoder: MessageDecoder {
    enum State: Hashable {
        case waitingForHeaderLength
        case waitingForHeader(start: UInt64, length: Int)
        case waitingForBody(start: UInt64, remaining: UInt64, isComplete: Bool, summary: String)
    }

    /// The largest JSON header accepted.
    static let headerLimit = 64 * 1024
    private(set) var state: State = .waitingForHeaderLength

    mutating func decode(_ buffer: inout FramingBuffer) throws(FramingError) -> FramedMessage? {
        if state == .waitingForHeaderLength {
            guard buffer.readableBytes >= 4 else { return nil }
            let start = buffer.readerOffset
            let length = LengthField.i32le.value(of: buffer.bytes(0..<4)) ?? -1
            guard length >= 0, length <= Self.headerLimit else {
                throw FramingError(
                    offset: start,
                    reason: "JSON header length \(length) is outside 0…\(Self.headerLimit)"
                )
            }
            buffer.consume(4)
            state = .waitingForHeader(start: start, length: Int(length))
        }
        if case .waitingForHeader(let start, let length) = state {
            guard buffer.readableBytes >= length else { return nil }
            let header = buffer.bytes(0..<length)
            let size = try Self.bodySize(in: header, at: start + 4)
            buffer.consume(length)
            state = .waitingForBody(
                start: start,
                remaining: size,
                isComplete: true,
                summary: SummaryText.escaped(header)
            )
        }
        guard case .waitingForBody(let start, let remaining, let isComplete, let summary) = state else { return nil }
        let taken = min(remaining, UInt64(buffer.readableBytes))
        buffer.consume(Int(taken))
        guard taken == remaining else {
            state = .waitingForBody(
                start: start,
                remaining: remaining - taken,
                isComplete: isComplete,
                summary: summary
            )
            return nil
        }
        state = .waitingForHeaderLength
        return FramedMessage(range: start..<buffer.readerOffset, isComplete: isComplete, summary: summary)
    }

    mutating func decodeLast(_ buffer: inout FramingBuffer) throws(FramingError) -> FramedMessage? {
        if let message = try decode(&buffer) { return message }
        let start: UInt64
        var summary: String?
        switch state {
        case .waitingForHeaderLength:
            guard buffer.readableBytes > 0 else { return nil }
            start = buffer.readerOffset
        case .waitingForHeader(let headerStart, _): start = headerStart
        case .waitingForBody(let bodyStart, _, _, let text):
            start = bodyStart
            summary = text
        }
        buffer.consumeAll()
        state = .waitingForHeaderLength
        return FramedMessage(range: start..<buffer.readerOffset, isComplete: false, summary: summary)
    }

    mutating func skipGap(_ buffer: inout FramingBuffer, length: UInt64, into messages: inout [FramedMessage]) -> Bool {
        let gapEnd = buffer.endOffset + length
        switch state {
        case .waitingForHeaderLength:
            if buffer.readableBytes > 0 {
                messages.append(FramedMessage(range: buffer.readerOffset..<gapEnd, isComplete: false))
            }
            return false
        case .waitingForHeader(let start, _):
            messages.append(FramedMessage(range: start..<gapEnd, isComplete: false))
            return false
        case .waitingForBody(let start, let remaining, _, let summary):
            if length < remaining {
                state = .waitingForBody(
                    start: start,
                    remaining: remaining - length,
                    isComplete: false,
                    summary: summary
                )
                return true
            }
            let end = buffer.endOffset + remaining
            messages.append(FramedMessage(range: start..<end, isComplete: false, summary: summary))
            state = .waitingForHeaderLength
            return length == remaining
        }
    }

    /// The body length the header announces.
    static func bodySize(in header: [UInt8], at offset: UInt64) throws(FramingError) -> UInt64 {
        var lookup = JSONIntegerField.lookup("total_size", in: header)
        if lookup == .missing { lookup = JSONIntegerField.lookup("file_size", in: header) }
        switch lookup {
        case .found(let size) where size >= 0:
            return UInt64(size)
        case .found(let size):
            throw FramingError(offset: offset, reason: "JSON header's total_size \(size) is negative")
        case .missing:
            throw FramingError(offset: offset, reason: "JSON header has no \"total_size\" (or \"file_size\") member")
        case .malformed(let reason):
            throw FramingError(offset: offset, reason: "JSON header: \(reason)")
        }
    }
}
