/// Frames lines that announce a data block (`linelen:WORD[+ADJUST][,opt]`, see `LineLength`).
///
/// ```
///  +----------------------------------+---------------------------------+
///  | VALUE key 0 5 CR LF              | hello CR LF                     |   linelen:3+2
///  +----------------------------------+---------------------------------+
///  |<- line: word 3 is the length --->|<- 5 + 2 bytes ----------------->|
/// ```
///
/// States: `waitingForLine` (keeps the line until its LF, at most 64 KiB) and `readingBlock(start:remaining:)`
/// (skips the data by count). A gap in a block keeps sync; a gap in a line loses it.
struct LineLengthDecoder: MessageDecoder {
    enum State: Hashable {
        case waitingForLine
        case readingBlock(start: UInt64, remaining: UInt64, isComplete: Bool)
    }

    let layout: LineLength
    private(set) var state = State.waitingForLine
    private var scanner = LineScanner()
    private var summary: String?

    init(layout: LineLength) {
        self.layout = layout
    }

    mutating func decode(_ buffer: inout FramingBuffer) throws(FramingError) -> FramedMessage? {
        if state == .waitingForLine {
            guard buffer.readableBytes > 0, let end = try scanner.lineEnd(in: buffer, what: "line") else { return nil }
            let start = buffer.readerOffset
            let line = buffer.bytes(0..<end)
            buffer.consume(end)
            summary = SummaryText.escaped(line)
            let words = LineScanner.words(line)
            let index = layout.word >= 0 ? layout.word : words.count + layout.word
            let word = index >= 0 && index < words.count ? words[index] : nil
            guard let length = word.flatMap(LineScanner.number) else {
                guard layout.isOptional else {
                    let found = word.map { "\"\(SummaryText.escaped($0))\"" } ?? "nothing"
                    throw FramingError(
                        offset: start,
                        reason: "word \(layout.word) of line \"\(summary ?? "")\" is \(found), not a length"
                    )
                }
                return finish(start: start, end: buffer.readerOffset, isComplete: true)
            }
            let (adjusted, overflow) = Int64(clamping: length).addingReportingOverflow(Int64(layout.adjustment))
            guard !overflow, adjusted >= 0 else {
                throw FramingError(
                    offset: start,
                    reason: "length \(length) adjusted by \(layout.adjustment) is negative"
                )
            }
            state = .readingBlock(start: start, remaining: UInt64(adjusted), isComplete: true)
        }
        guard case .readingBlock(let start, let remaining, let isComplete) = state else { return nil }
        let taken = min(remaining, UInt64(buffer.readableBytes))
        buffer.consume(Int(taken))
        guard taken == remaining else {
            state = .readingBlock(start: start, remaining: remaining - taken, isComplete: isComplete)
            return nil
        }
        return finish(start: start, end: buffer.readerOffset, isComplete: isComplete)
    }

    mutating func decodeLast(_ buffer: inout FramingBuffer) throws(FramingError) -> FramedMessage? {
        if let message = try decode(&buffer) { return message }
        switch state {
        case .waitingForLine:
            guard buffer.readableBytes > 0 else { return nil }
            let start = buffer.readerOffset
            summary = SummaryText.escaped(buffer.bytes(0..<min(buffer.readableBytes, SummaryText.byteLimit)))
            buffer.consumeAll()
            return finish(start: start, end: buffer.readerOffset, isComplete: false)
        case .readingBlock(let start, _, _):
            buffer.consumeAll()
            return finish(start: start, end: buffer.readerOffset, isComplete: false)
        }
    }

    mutating func skipGap(_ buffer: inout FramingBuffer, length: UInt64, into messages: inout [FramedMessage]) -> Bool {
        switch state {
        case .waitingForLine:
            if buffer.readableBytes > 0 {
                messages.append(
                    FramedMessage(range: buffer.readerOffset..<(buffer.endOffset + length), isComplete: false)
                )
            }
            scanner = LineScanner()
            return false
        case .readingBlock(let start, let remaining, _):
            if length < remaining {
                state = .readingBlock(start: start, remaining: remaining - length, isComplete: false)
                return true
            }
            messages.append(finish(start: start, end: buffer.endOffset + remaining, isComplete: false))
            return length == remaining
        }
    }

    private mutating func finish(start: UInt64, end: UInt64, isComplete: Bool) -> FramedMessage {
        let message = FramedMessage(range: start..<end, isComplete: isComplete, summary: summary)
        state = .waitingForLine
        summary = nil
        return message
    }
}
