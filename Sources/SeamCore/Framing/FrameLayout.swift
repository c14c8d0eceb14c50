/// The head of one message as a `FrameLayout` reads it: how long the whole message is and what reports say of it.
struct FrameHead: Hashable, Sendable {
    /// The whole message's length, header included.
    var length: UInt64
    /// A short hint for reports (a type name, a command); see `FramedMessage.summary`.
    var summary: String?
    /// Its part in a request/response exchange, for protocols that pair them.
    var exchange: MessageExchange?

    init(length: UInt64, summary: String? = nil, exchange: MessageExchange? = nil) {
        self.length = length
        self.summary = summary
        self.exchange = exchange
    }
}

/// The protocol-specific half of a `FrameDecoder`: reads the head of the message that starts at the buffer's
/// reader and says how long the message is. The decoder does the rest (consuming, skipping bodies by count,
/// gaps, the end of the stream), so a layout is a small state machine over message heads only.
protocol FrameLayout: Sendable {
    /// The most bytes `head(in:at:)` may wait for before it decides; beyond it the decoder throws, so the
    /// buffer stays bounded.
    var headLimit: Int { get }

    /// The head of the message at the reader of `buffer` (offset `offset` of the stream), or `nil` while more
    /// bytes are needed. Consumes nothing; may look at any byte it has, and keeps any state it needs (a phase
    /// of the protocol, how far it has scanned). When it returns a head, the message is decided: the next call
    /// is for the message after it.
    /// - Throws: `FramingError` when the bytes cannot start a message of this protocol.
    mutating func head(in buffer: FramingBuffer, at offset: UInt64) throws(FramingError) -> FrameHead?
}

/// Frames any protocol whose messages announce their length in a head: the layout reads heads, this decoder
/// skips each body by count.
///
/// ```
///  +----------------------+------------------------------------------+
///  | head (layout reads)  | rest of the message (skipped by count)   |
///  +----------------------+------------------------------------------+
///  |<------------------ FrameHead.length ---------------------------->|
/// ```
///
/// States: `waitingForHead` (keeps at most `headLimit` bytes until the layout decides) and
/// `readingFrame(start:remaining:)` (keeps nothing). A gap inside a frame keeps sync (that message is
/// reported incomplete); a gap anywhere else loses it.
struct FrameDecoder<Layout: FrameLayout>: MessageDecoder {
    enum State: Hashable {
        case waitingForHead
        case readingFrame(start: UInt64, remaining: UInt64, isComplete: Bool)
    }

    private(set) var layout: Layout
    private(set) var state: State = .waitingForHead
    private var summary: String?
    private var exchange: MessageExchange?
    private var announcedEnd: UInt64?

    init(layout: Layout) {
        self.layout = layout
    }

    var announcedMessageEnd: UInt64? { announcedEnd }

    mutating func decode(_ buffer: inout FramingBuffer) throws(FramingError) -> FramedMessage? {
        if state == .waitingForHead {
            guard buffer.readableBytes > 0 else { return nil }
            let start = buffer.readerOffset
            guard let head = try layout.head(in: buffer, at: start) else {
                guard buffer.readableBytes <= layout.headLimit else {
                    throw FramingError(offset: start, reason: "no message head within \(layout.headLimit) bytes")
                }
                return nil
            }
            summary = head.summary
            exchange = head.exchange
            announcedEnd = start &+ head.length
            state = .readingFrame(start: start, remaining: head.length, isComplete: true)
        }
        guard case .readingFrame(let start, let remaining, let isComplete) = state else { return nil }
        let taken = min(remaining, UInt64(buffer.readableBytes))
        buffer.consume(Int(taken))
        guard taken == remaining else {
            state = .readingFrame(start: start, remaining: remaining - taken, isComplete: isComplete)
            return nil
        }
        return finishMessage(start: start, end: buffer.readerOffset, isComplete: isComplete)
    }

    mutating func decodeLast(_ buffer: inout FramingBuffer) throws(FramingError) -> FramedMessage? {
        if let message = try decode(&buffer) { return message }
        switch state {
        case .waitingForHead:
            guard buffer.readableBytes > 0 else { return nil }
            let start = buffer.readerOffset
            buffer.consumeAll()
            return FramedMessage(range: start..<buffer.readerOffset, isComplete: false)
        case .readingFrame(let start, _, _):
            buffer.consumeAll()
            return finishMessage(start: start, end: buffer.readerOffset, isComplete: false)
        }
    }

    mutating func skipGap(_ buffer: inout FramingBuffer, length: UInt64, into messages: inout [FramedMessage]) -> Bool {
        let gapEnd = buffer.endOffset + length
        switch state {
        case .waitingForHead:
            if buffer.readableBytes > 0 {
                messages.append(FramedMessage(range: buffer.readerOffset..<gapEnd, isComplete: false))
            }
            return false
        case .readingFrame(let start, let remaining, _):
            if length < remaining {
                state = .readingFrame(start: start, remaining: remaining - length, isComplete: false)
                return true
            }
            let end = buffer.endOffset + remaining
            messages.append(finishMessage(start: start, end: end, isComplete: false))
            return length == remaining
        }
    }

    private mutating func finishMessage(start: UInt64, end: UInt64, isComplete: Bool) -> FramedMessage {
        let message = FramedMessage(
            range: start..<end,
            isComplete: isComplete,
            summary: summary,
            exchange: exchange
        )
        state = .waitingForHead
        summary = nil
        exchange = nil
        announcedEnd = nil
        return message
    }
}
