/// Frames HTTP/1.x requests and responses (`http1`), each with its body.
///
/// ```
///  +-------------------------+-------------------------+------+------------------------------------+
///  | start line CRLF         | header: value CRLF  ... | CRLF | body                               |
///  | GET /path HTTP/1.1      | Content-Length: 5       |      | Content-Length bytes, or chunked:  |
///  | HTTP/1.1 200 OK         | Transfer-Encoding: ...  |      | size CRLF data CRLF ... 0 CRLF     |
///  +-------------------------+-------------------------+------+ trailers CRLF, or to end of stream -+
/// ```
///
/// The body: chunked when `Transfer-Encoding` ends in `chunked`; else `Content-Length` bytes; else none for a
/// request, and to the end of the stream for a response (`decodeLast` ends it). Responses 1xx, 204 and 304 have
/// no body; after `101 Switching Protocols` the rest of the stream is one message. A HEAD response is framed
/// with the body its headers announce, since telling it apart needs the request. Header names are
/// case-insensitive.
///
/// Memory: the header block is kept until it is whole (at most 64 KiB, else a `FramingError`); bodies and
/// chunks are skipped by count. A gap in a `Content-Length` body or an until-close body keeps sync; elsewhere
/// it loses it.
struct HTTP1Decoder: MessageDecoder {
    enum State: Hashable {
        case waitingForHead
        case readingBody(remaining: UInt64)
        case waitingForChunkSize
        case readingChunk(remaining: UInt64)
        case waitingForChunkEnd
        case waitingForTrailers
        case readingUntilClose
    }

    static let headLimit = 64 * 1024
    static let chunkLineLimit = 4 * 1024
    static let summaryLimit = 64

    private(set) var state: State = .waitingForHead
    private var start: UInt64?
    private var summary: String?
    /// Requests are requests, final responses (and 101) answer them in order; 1xx interim responses neither.
    private var exchange: MessageExchange?
    private var isComplete = true
    /// Bytes of the head already searched for its end.
    private var scannedHeadBytes = 0
    /// After `101 Switching Protocols`: the rest is one message.
    private var upgraded = false

    mutating func decode(_ buffer: inout FramingBuffer) throws(FramingError) -> FramedMessage? {
        while true {
            switch state {
            case .waitingForHead:
                guard buffer.readableBytes > 0 else { return nil }
                if start == nil {
                    start = buffer.readerOffset
                    if upgraded {
                        summary = "(upgraded protocol)"
                        state = .readingUntilClose
                        continue
                    }
                }
                if scannedHeadBytes == 0 {
                    // Empty lines before a request line are tolerated (RFC 9112 §2.2); they join the message.
                    while let byte = buffer.byte(at: 0), byte == 0x0D || byte == 0x0A { buffer.consume(1) }
                }
                guard let headEnd = findHeadEnd(in: buffer) else {
                    guard buffer.readableBytes <= Self.headLimit else {
                        throw FramingError(
                            offset: start ?? buffer.readerOffset,
                            reason: "HTTP header block longer than \(Self.headLimit) bytes"
                        )
                    }
                    return nil
                }
                scannedHeadBytes = 0
                let head = try HTTP1Head(parsing: buffer.bytes(0..<headEnd), at: buffer.readerOffset)
                buffer.consume(headEnd)
                summary = SummaryText.escaped(head.startLine, limit: Self.summaryLimit)
                if let status = head.status {
                    exchange = status >= 200 || status == 101 ? .response(key: 0) : nil
                } else {
                    exchange = .request(key: 0)
                }
                if head.status == 101 { upgraded = true }
                switch head.body {
                case .none: return messageDone(at: buffer.readerOffset)
                case .length(let length): state = .readingBody(remaining: length)
                case .chunked: state = .waitingForChunkSize
                case .untilClose: state = .readingUntilClose
                }
            case .readingBody(let remaining), .readingChunk(let remaining):
                let taken = min(remaining, UInt64(buffer.readableBytes))
                buffer.consume(Int(taken))
                guard taken == remaining else {
                    if case .readingBody = state {
                        state = .readingBody(remaining: remaining - taken)
                    } else {
                        state = .readingChunk(remaining: remaining - taken)
                    }
                    return nil
                }
                if case .readingBody = state { return messageDone(at: buffer.readerOffset) }
                state = .waitingForChunkEnd
            case .waitingForChunkSize:
                guard let line = try takeLine(from: &buffer, limit: Self.chunkLineLimit, what: "chunk size line") else {
                    return nil
                }
                let sizeText = String(decoding: line.prefix { $0 != UInt8(ascii: ";") }, as: UTF8.self)
                    .trimmingHTTPSpaces
                guard let size = UInt64(sizeText, radix: 16) else {
                    throw FramingError(
                        offset: buffer.readerOffset - UInt64(line.count),
                        reason: "HTTP chunk size \"\(SummaryText.escaped(line))\" is not hexadecimal"
                    )
                }
                state = size == 0 ? .waitingForTrailers : .readingChunk(remaining: size)
            case .waitingForChunkEnd:
                guard let first = buffer.byte(at: 0) else { return nil }
                if first == 0x0A {
                    buffer.consume(1)
                } else {
                    guard let second = buffer.byte(at: 1) else { return nil }
                    guard first == 0x0D, second == 0x0A else {
                        throw FramingError(offset: buffer.readerOffset, reason: "HTTP chunk data not followed by CRLF")
                    }
                    buffer.consume(2)
                }
                state = .waitingForChunkSize
            case .waitingForTrailers:
                guard let line = try takeLine(from: &buffer, limit: Self.headLimit, what: "trailer line") else {
                    return nil
                }
                if line.isEmpty { return messageDone(at: buffer.readerOffset) }
            case .readingUntilClose:
                buffer.consumeAll()
                return nil
            }
        }
    }

    mutating func decodeLast(_ buffer: inout FramingBuffer) throws(FramingError) -> FramedMessage? {
        if let message = try decode(&buffer) { return message }
        guard let start else { return nil }
        buffer.consumeAll()
        let closedByEnd = state == .readingUntilClose
        let message = FramedMessage(
            range: start..<buffer.readerOffset,
            isComplete: closedByEnd && isComplete,
            summary: summary
        )
        reset()
        return message
    }

    mutating func skipGap(_ buffer: inout FramingBuffer, length: UInt64, into messages: inout [FramedMessage]) -> Bool {
        let gapEnd = buffer.endOffset + length
        switch state {
        case .readingUntilClose:
            isComplete = false
            return true
        case .readingBody(let remaining):
            if length < remaining {
                state = .readingBody(remaining: remaining - length)
                isComplete = false
                return true
            }
            let end = buffer.endOffset + remaining
            messages.append(FramedMessage(range: (start ?? end)..<end, isComplete: false, summary: summary))
            reset()
            return length == remaining
        default:
            if let start { messages.append(FramedMessage(range: start..<gapEnd, isComplete: false, summary: summary)) }
            reset()
            return false
        }
    }

    /// The length of the head up to and including its empty line, once it is all in `buffer`.
    private mutating func findHeadEnd(in buffer: FramingBuffer) -> Int? {
        var from = scannedHeadBytes
        while let newline = buffer.firstIndex(of: 0x0A, from: from) {
            guard let next = buffer.byte(at: newline + 1) else {
                scannedHeadBytes = newline
                return nil
            }
            if next == 0x0A { return newline + 2 }
            if next == 0x0D {
                guard let third = buffer.byte(at: newline + 2) else {
                    scannedHeadBytes = newline
                    return nil
                }
                if third == 0x0A { return newline + 3 }
            }
            from = newline + 1
        }
        scannedHeadBytes = buffer.readableBytes
        return nil
    }

    /// Consumes one line and returns it without its CR LF; `nil` until its LF has arrived.
    private func takeLine(
        from buffer: inout FramingBuffer,
        limit: Int,
        what: String
    ) throws(FramingError) -> [UInt8]? {
        guard let newline = buffer.firstIndex(of: 0x0A) else {
            guard buffer.readableBytes <= limit else {
                throw FramingError(offset: buffer.readerOffset, reason: "HTTP \(what) longer than \(limit) bytes")
            }
            return nil
        }
        var line = buffer.bytes(0..<newline)
        if line.last == 0x0D { line.removeLast() }
        buffer.consume(newline + 1)
        return line
    }

    private mutating func messageDone(at end: UInt64) -> FramedMessage {
        let message = FramedMessage(
            range: (start ?? end)..<end,
            isComplete: isComplete,
            summary: summary,
            exchange: exchange
        )
        reset()
        return message
    }

    private mutating func reset() {
        start = nil
        summary = nil
        exchange = nil
        isComplete = true
        scannedHeadBytes = 0
        state = .waitingForHead
    }
}
