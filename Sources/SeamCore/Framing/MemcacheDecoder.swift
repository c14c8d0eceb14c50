/// Frames memcached's text protocol (`memcache`): one command with its data block, or one response with all
/// its data blocks (`VALUE` items through `END`), per message, as tshark's `memcache` dissector counts them.
///
/// ```
///  client:  set key 0 0 5 CR LF  hello CR LF           storage command + data block (bytes = word 4)
///           get k1 k2 CR LF                            one line
///  server:  VALUE k1 0 5 CR LF  hello CR LF            item + data block (bytes = word 3) ...
///           VALUE k2 0 2 CR LF  hi CR LF
///           END CR LF                                  ... one message through END
///           STORED CR LF                               one line
/// ```
///
/// Meta commands too (`ms key N` with its block, `mg`, `VA N` with its block, `HD`, `EN`, …). A stream that
/// starts with byte 0x80 or 0x81 is the binary protocol (`MemcacheBinaryLayout`). Checked: every line starts
/// with a known command or response (with a direction, only those of its side), a data block is followed by
/// CR LF. States: `waitingForLine` (at most 64 KiB kept), `readingBlock(remaining:)` (skipped by count) and
/// `waitingForBlockEnd`. A gap loses sync. Commands are requests (but `noreply`, `quit` and quiet meta
/// commands), complete responses answer them in order.
struct MemcacheDecoder: MessageDecoder {
    enum State: Hashable {
        case waitingForLine
        case readingBlock(remaining: UInt64)
        case waitingForBlockEnd
    }

    static let commands: Set<String> = [
        "get", "gets", "gat", "gats", "delete", "incr", "decr", "touch", "stats", "flush_all", "version", "verbosity",
        "quit", "mg", "md", "ma", "mn", "me", "shutdown", "cache_memlimit", "slabs", "lru_crawler", "lru", "watch",
        "misbehave",
    ]
    static let storageCommands: Set<String> = ["set", "add", "replace", "append", "prepend", "cas"]
    static let replies: Set<String> = [
        "STORED", "NOT_STORED", "EXISTS", "NOT_FOUND", "DELETED", "TOUCHED", "OK", "ERROR", "CLIENT_ERROR",
        "SERVER_ERROR", "VERSION", "HD", "EN", "NF", "NS", "EX", "MN", "ME", "RESET", "BUSY",
    ]

    let direction: Direction?
    private(set) var state = State.waitingForLine
    private var binary: FrameDecoder<MemcacheBinaryLayout>?
    private var decided = false
    private var scanner = LineScanner()
    private var start: UInt64?
    private var summary: String?
    private var exchange: MessageExchange?
    /// After `VALUE`, `STAT` or `ITEM` lines: the message goes on to `END`.
    private var inGroup = false
    /// Whether the message ends with the data block being read.
    private var blockEndsMessage = false

    init(direction: Direction?) {
        self.direction = direction
    }

    mutating func decode(_ buffer: inout FramingBuffer) throws(FramingError) -> FramedMessage? {
        if !decided, let first = buffer.byte(at: 0) {
            decided = true
            if first == 0x80 || first == 0x81 { binary = FrameDecoder(layout: MemcacheBinaryLayout()) }
        }
        if binary != nil { return try binary!.decode(&buffer) }
        while true {
            switch state {
            case .waitingForLine:
                guard buffer.readableBytes > 0 else { return nil }
                if start == nil { start = buffer.readerOffset }
                guard let end = try scanner.lineEnd(in: buffer, what: "memcache line") else { return nil }
                let offset = buffer.readerOffset
                let line = buffer.bytes(0..<end)
                buffer.consume(end)
                if let message = try handleLine(line, at: offset, end: buffer.readerOffset) { return message }
            case .readingBlock(let remaining):
                let taken = min(remaining, UInt64(buffer.readableBytes))
                buffer.consume(Int(taken))
                guard taken == remaining else {
                    state = .readingBlock(remaining: remaining - taken)
                    return nil
                }
                state = .waitingForBlockEnd
            case .waitingForBlockEnd:
                guard buffer.readableBytes >= 2 else { return nil }
                guard buffer.byte(at: 0) == 0x0D, buffer.byte(at: 1) == 0x0A else {
                    throw FramingError(offset: buffer.readerOffset, reason: "memcache data block not followed by CR LF")
                }
                buffer.consume(2)
                state = .waitingForLine
                if blockEndsMessage { return finish(at: buffer.readerOffset, isComplete: true) }
            }
        }
    }

    /// One line (LF included) that began at `offset`: returns the message it ends, if it ends one.
    private mutating func handleLine(_ line: [UInt8], at offset: UInt64, end: UInt64) throws(FramingError)
        -> FramedMessage?
    {
        let words = LineScanner.words(line)
        let keyword = String(decoding: words.first ?? [], as: UTF8.self)
        if summary == nil { summary = SummaryText.escaped(line) }
        func block(at index: Int, endsMessage: Bool) throws(FramingError) -> FramedMessage? {
            guard index < words.count, let bytes = LineScanner.number(words[index]) else {
                throw FramingError(offset: offset, reason: "memcache \(keyword) line without its data length")
            }
            blockEndsMessage = endsMessage
            state = .readingBlock(remaining: bytes)
            return nil
        }
        let mayCommand = direction != .serverToClient && !inGroup
        let mayReply = direction != .clientToServer
        if mayCommand && (Self.storageCommands.contains(keyword) || keyword == "ms") {
            let quiet = keyword == "ms" && words.dropFirst(3).contains(Array("q".utf8)[...])
            if words.last.map({ String(decoding: $0, as: UTF8.self) }) != "noreply" && !quiet {
                exchange = .request(key: 0)
            }
            return try block(at: keyword == "ms" ? 2 : 4, endsMessage: true)
        }
        if mayCommand && Self.commands.contains(keyword) {
            let quiet =
                words.last.map { String(decoding: $0, as: UTF8.self) } == "noreply" || keyword == "quit"
                || (keyword.count == 2 && words.dropFirst().contains(Array("q".utf8)[...]))
            if !quiet { exchange = .request(key: 0) }
            return finish(at: end, isComplete: true)
        }
        if mayReply {
            switch keyword {
            case "VALUE":
                inGroup = true
                return try block(at: 3, endsMessage: false)
            case "STAT", "ITEM":
                inGroup = true
                return nil
            case "END":
                exchange = .response(key: 0)
                return finish(at: end, isComplete: true)
            case "VA" where !inGroup:
                exchange = .response(key: 0)
                return try block(at: 1, endsMessage: true)
            case _ where !inGroup && (Self.replies.contains(keyword) || LineScanner.number(words.first ?? []) != nil):
                exchange = .response(key: 0)
                return finish(at: end, isComplete: true)
            default:
                break
            }
        }
        let shown = SummaryText.escaped(line)
        let expected: String
        switch direction {
        case .clientToServer?: expected = "command"
        case .serverToClient?: expected = "response"
        case nil: expected = "command or response"
        }
        throw FramingError(
            offset: offset,
            reason: inGroup
                ? "memcache \"\(shown)\" inside a response that should end with END"
                : "\"\(shown)\" is not a memcache \(expected)"
        )
    }

    mutating func decodeLast(_ buffer: inout FramingBuffer) throws(FramingError) -> FramedMessage? {
        if binary != nil { return try binary!.decodeLast(&buffer) }
        if let message = try decode(&buffer) { return message }
        guard start != nil || buffer.readableBytes > 0 else { return nil }
        if start == nil { start = buffer.readerOffset }
        buffer.consumeAll()
        return finish(at: buffer.readerOffset, isComplete: false)
    }

    mutating func skipGap(_ buffer: inout FramingBuffer, length: UInt64, into messages: inout [FramedMessage]) -> Bool {
        if binary != nil { return binary!.skipGap(&buffer, length: length, into: &messages) }
        if start != nil || buffer.readableBytes > 0 {
            if start == nil { start = buffer.readerOffset }
            messages.append(finish(at: buffer.endOffset + length, isComplete: false))
        }
        return false
    }

    var announcedMessageEnd: UInt64? { binary?.announcedMessageEnd }

    private mutating func finish(at end: UInt64, isComplete: Bool) -> FramedMessage {
        let message = FramedMessage(
            range: (start ?? end)..<end,
            isComplete: isComplete,
            summary: summary,
            exchange: isComplete ? exchange : nil
        )
        start = nil
        summary = nil
        exchange = nil
        inGroup = false
        blockEndsMessage = false
        state = .waitingForLine
        scanner = LineScanner()
        return message
    }
}
