/// Frames messages of one size (`fixed:N`).
///
/// ```
///  +-----------+-----------+-----------+-------
///  | N bytes   | N bytes   | N bytes   | ...
///  +-----------+-----------+-----------+-------
/// ```
///
/// States: `waitingForMessage` and `waitingForFrame(start:remaining:)`. Every byte is consumed as it arrives.
/// A gap never loses sync: boundaries are multiples of N, so the decoder counts through the gap; the messages it
/// cuts are reported incomplete (messages wholly inside the gap are not reported).
struct FixedSizeDecoder: MessageDecoder {
    enum State: Hashable {
        case waitingForMessage
        case waitingForFrame(start: UInt64, remaining: UInt64, isComplete: Bool)
    }

    let size: UInt64
    private(set) var state: State = .waitingForMessage

    /// `size` should be at least 1 (as `FramingSpec(parsing:)` makes it); a smaller one makes `decode` throw.
    init(size: Int) {
        self.size = UInt64(max(0, size))
    }

    mutating func decode(_ buffer: inout FramingBuffer) throws(FramingError) -> FramedMessage? {
        guard buffer.readableBytes > 0 else { return nil }
        guard size > 0 else { throw FramingError(offset: buffer.readerOffset, reason: "fixed size must be at least 1") }
        if state == .waitingForMessage {
            state = .waitingForFrame(start: buffer.readerOffset, remaining: size, isComplete: true)
        }
        guard case .waitingForFrame(let start, let remaining, let isComplete) = state else { return nil }
        let taken = min(remaining, UInt64(buffer.readableBytes))
        buffer.consume(Int(taken))
        guard taken == remaining else {
            state = .waitingForFrame(start: start, remaining: remaining - taken, isComplete: isComplete)
            return nil
        }
        state = .waitingForMessage
        return FramedMessage(range: start..<(start + size), isComplete: isComplete)
    }

    mutating func decodeLast(_ buffer: inout FramingBuffer) throws(FramingError) -> FramedMessage? {
        if let message = try decode(&buffer) { return message }
        guard case .waitingForFrame(let start, _, _) = state else { return nil }
        state = .waitingForMessage
        return FramedMessage(range: start..<buffer.readerOffset, isComplete: false)
    }

    mutating func skipGap(_ buffer: inout FramingBuffer, length: UInt64, into messages: inout [FramedMessage]) -> Bool {
        guard size > 0 else { return false }
        let gapEnd = buffer.endOffset + length
        var length = length
        if case .waitingForFrame(let start, let remaining, _) = state {
            guard length >= remaining else {
                state = .waitingForFrame(start: start, remaining: remaining - length, isComplete: false)
                return true
            }
            messages.append(FramedMessage(range: start..<(start + size), isComplete: false))
            length -= remaining
        }
        // Now at a message boundary, `length` bytes before the gap's end.
        let cut = length % size
        state =
            cut == 0
            ? .waitingForMessage
            : .waitingForFrame(start: gapEnd - cut, remaining: size - cut, isComplete: false)
        return true
    }
}
