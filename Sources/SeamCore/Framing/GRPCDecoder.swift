/// Frames gRPC over h2c (`grpc`): HTTP/2 frames as `http2` does, but DATA frames are cut into the gRPC
/// length-prefixed messages they carry.
///
/// ```
///  HTTP/2 DATA frame:  | 9-byte frame header | [pad length] | data ............................ | [padding] |
///  data of a stream:   | flag | length (4, BE) | message ... | flag | length | message ... |
///                        0/1    gRPC message     (may continue into the stream's next DATA frame)
/// ```
///
/// The messages partition the byte axis: each ends where a gRPC message ends or where a frame other than DATA
/// (or a DATA frame that carried no gRPC bytes) ends, and starts where the one before ended, so frame headers
/// belong to the gRPC message that follows them. A gRPC message that spans DATA frames of its stream is one
/// message; when streams interleave, a message of one stream ends the range that holds bytes of another.
/// States: `waitingForHead`, `inFrame(remaining:)` (a frame that is a message by itself), `waitingForPadLength`,
/// `inData` (walking a DATA payload with a per-stream gRPC header of up to 5 bytes and a body skipped by count)
/// and `inPadding`. Checked: the gRPC flag byte is 0 or 1. A gap loses sync but inside a frame other than DATA.
struct GRPCDecoder: MessageDecoder {
    enum State: Hashable {
        case waitingForHead
        case inFrame(remaining: UInt64)
        case waitingForPadLength(stream: UInt64, length: UInt64, endsStream: Bool)
        case inData(stream: UInt64, remaining: UInt64, padding: UInt64, endsStream: Bool)
        case inPadding(stream: UInt64, remaining: UInt64, endsStream: Bool)
    }

    /// A gRPC message in progress on one stream: its 5-byte prefix as far as it came, then the body left.
    struct Partial: Hashable {
        var prefix: [UInt8] = []
        var remaining: UInt64 = 0
    }

    static let streamLimit = 4096

    private var http2: HTTP2FrameLayout
    private(set) var state = State.waitingForHead
    private var start: UInt64?
    private var isComplete = true
    private var summary: String?
    private var exchange: MessageExchange?
    private var partials: [UInt64: Partial] = [:]
    /// Whether the DATA frame being walked held gRPC bytes (else it is a message of its own).
    private var dataHeldMessages = false
    /// A gRPC message that ended with the frame's data: it ends after the frame's padding.
    private var endsWithPadding = false

    init(direction: Direction?) {
        http2 = HTTP2FrameLayout(direction: direction)
    }

    mutating func decode(_ buffer: inout FramingBuffer) throws(FramingError) -> FramedMessage? {
        while true {
            if start == nil && buffer.readableBytes > 0 { start = buffer.readerOffset }
            switch state {
            case .waitingForHead:
                guard buffer.readableBytes > 0 else { return nil }
                if http2.phase == .frames {
                    guard let header = try HTTP2FrameLayout.frameHeader(in: buffer, at: buffer.readerOffset) else {
                        return nil
                    }
                    if header.type == 0 {
                        buffer.consume(9)
                        dataHeldMessages = false
                        let endsStream = header.flags & 0x01 != 0
                        state =
                            header.flags & 0x08 != 0
                            ? .waitingForPadLength(stream: header.stream, length: header.length, endsStream: endsStream)
                            : .inData(
                                stream: header.stream,
                                remaining: header.length,
                                padding: 0,
                                endsStream: endsStream
                            )
                        continue
                    }
                }
                guard let head = try http2.head(in: buffer, at: buffer.readerOffset) else {
                    guard buffer.readableBytes <= http2.headLimit else {
                        throw FramingError(offset: buffer.readerOffset, reason: "HTTP/2 head longer than 64 KiB")
                    }
                    return nil
                }
                summary = head.summary
                exchange = head.exchange
                state = .inFrame(remaining: head.length)
            case .inFrame(let remaining):
                let taken = min(remaining, UInt64(buffer.readableBytes))
                buffer.consume(Int(taken))
                guard taken == remaining else {
                    state = .inFrame(remaining: remaining - taken)
                    return nil
                }
                state = .waitingForHead
                return emit(at: buffer.readerOffset)
            case .waitingForPadLength(let stream, let length, let endsStream):
                guard let pad = buffer.byte(at: 0) else { return nil }
                guard UInt64(pad) < length else {
                    throw FramingError(
                        offset: buffer.readerOffset,
                        reason: "HTTP/2 DATA padding \(pad) fills the frame"
                    )
                }
                buffer.consume(1)
                state = .inData(
                    stream: stream,
                    remaining: length - 1 - UInt64(pad),
                    padding: UInt64(pad),
                    endsStream: endsStream
                )
            case .inData(let stream, let remaining, let padding, let endsStream):
                if remaining == 0 {
                    state = .inPadding(stream: stream, remaining: padding, endsStream: endsStream)
                    continue
                }
                guard buffer.readableBytes > 0 else { return nil }
                if let message = try walkData(
                    &buffer,
                    stream: stream,
                    remaining: remaining,
                    padding: padding,
                    endsStream
                ) {
                    return message
                }
            case .inPadding(let stream, let remaining, let endsStream):
                let taken = min(remaining, UInt64(buffer.readableBytes))
                buffer.consume(Int(taken))
                guard taken == remaining else {
                    state = .inPadding(stream: stream, remaining: remaining - taken, endsStream: endsStream)
                    return nil
                }
                state = .waitingForHead
                if endsStream { partials[stream] = nil }
                if endsWithPadding {
                    endsWithPadding = false
                    return emit(at: buffer.readerOffset)
                }
                if !dataHeldMessages {
                    summary = "DATA s=\(stream)"
                    return emit(at: buffer.readerOffset)
                }
            }
        }
    }

    /// Takes what it can of a DATA payload: prefix bytes, then body bytes of the stream's gRPC message.
    private mutating func walkData(
        _ buffer: inout FramingBuffer,
        stream: UInt64,
        remaining: UInt64,
        padding: UInt64,
        _ endsStream: Bool
    ) throws(FramingError) -> FramedMessage? {
        var partial = partials[stream] ?? Partial()
        var left = remaining
        var finished = false
        dataHeldMessages = true
        if partial.prefix.count < 5 {
            let count = min(5 - partial.prefix.count, Int(min(left, UInt64(buffer.readableBytes))))
            partial.prefix += buffer.bytes(0..<count)
            buffer.consume(count)
            left -= UInt64(count)
            if partial.prefix.count == 5 {
                guard partial.prefix[0] <= 1 else {
                    throw FramingError(
                        offset: buffer.readerOffset - UInt64(count),
                        reason: "gRPC compressed flag 0x\(String(partial.prefix[0], radix: 16)) is not 0 or 1"
                    )
                }
                partial.remaining =
                    UInt64(partial.prefix[1]) << 24 | UInt64(partial.prefix[2]) << 16 | UInt64(partial.prefix[3]) << 8
                    | UInt64(partial.prefix[4])
                finished = partial.remaining == 0
            }
        } else {
            let taken = min(partial.remaining, min(left, UInt64(buffer.readableBytes)))
            buffer.consume(Int(taken))
            left -= taken
            partial.remaining -= taken
            finished = partial.remaining == 0
        }
        state = .inData(stream: stream, remaining: left, padding: padding, endsStream: endsStream)
        if finished {
            let length = Int(partial.prefix.dropFirst().reduce(0) { $0 << 8 | UInt64($1) })
            partials[stream] = nil
            summary = "gRPC s=\(stream) \(length) bytes"
            if left == 0 && padding > 0 {
                endsWithPadding = true
                return nil
            }
            return emit(at: buffer.readerOffset)
        }
        guard partials[stream] != nil || partials.count < Self.streamLimit else {
            throw FramingError(offset: buffer.readerOffset, reason: "gRPC messages open on more than 4096 streams")
        }
        partials[stream] = partial
        return nil
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
        if case .inFrame(let remaining) = state, length < remaining {
            state = .inFrame(remaining: remaining - length)
            isComplete = false
            return true
        }
        if let start {
            messages.append(
                FramedMessage(range: start..<(buffer.endOffset + length), isComplete: false, summary: summary)
            )
        }
        reset()
        return false
    }

    private mutating func emit(at end: UInt64) -> FramedMessage {
        let message = FramedMessage(
            range: (start ?? end)..<end,
            isComplete: isComplete,
            summary: summary,
            exchange: exchange
        )
        start = nil
        isComplete = true
        summary = nil
        exchange = nil
        return message
    }

    private mutating func reset() {
        endsWithPadding = false
        start = nil
        isComplete = true
        summary = nil
        exchange = nil
        state = .waitingForHead
    }
}
