import Testing

@testable import SeamCore

@Suite struct MessageFramerTests {
    /// STYLE 8: every decoder, fed every chunking, finds the same messages.
    @Test(arguments: FramingStreamCase.all, Chunking.all)
    func everyChunkingGivesTheSameMessages(_ stream: FramingStreamCase, _ chunking: Chunking) throws {
        let reference = try frame(stream.spec, stream.bytes, direction: stream.direction)
        #expect(reference.map(\.range) == stream.expected.map(\.range))
        #expect(reference.map(\.isComplete) == stream.expected.map(\.isComplete))
        let cuts = chunking.cuts(count: stream.bytes.count, messageEnds: stream.messageEnds)
        #expect(
            try frame(stream.spec, stream.bytes, cuts: cuts, direction: stream.direction) == reference,
            "cuts \(cuts)"
        )
    }

    /// Every message split at every byte position (two chunks, and three around each position).
    @Test(arguments: FramingStreamCase.all)
    func splitAtEveryPosition(_ stream: FramingStreamCase) throws {
        let reference = try frame(stream.spec, stream.bytes, direction: stream.direction)
        for cut in 0...stream.bytes.count {
            let direction = stream.direction
            #expect(
                try frame(stream.spec, stream.bytes, cuts: [cut], direction: direction) == reference,
                "cut at \(cut)"
            )
            let around = [max(0, cut - 1), cut, min(stream.bytes.count, cut + 1)]
            #expect(
                try frame(stream.spec, stream.bytes, cuts: around, direction: direction) == reference,
                "cuts \(around)"
            )
        }
    }

    @Test func feedAtALaterOffsetIsAGapAndOverlapsAreIgnored() throws {
        var framer = MessageFramer(spec: .line)
        var messages: [FramedMessage] = []
        let bytes = ascii("ab\ncd\nef\n")
        try framer.feed(bytes[0..<4], at: 0, into: &messages)
        try framer.feed(bytes[2..<6], at: 2, into: &messages)  // overlaps 2 bytes already seen
        #expect(messages.map(\.range) == [0..<3, 3..<6])
        #expect(framer.nextOffset == 6)
        try framer.feed(ascii("xy\nz\n")[...], at: 10, into: &messages)  // bytes 6..<10 missing
        #expect(messages.count == 4)
        #expect(messages[2] == FramedMessage(range: 6..<13, isComplete: false))
        #expect(messages[3].range == 13..<15)
    }

    @Test func failureKeepsEarlierMessagesAndStopsFraming() {
        var framer = MessageFramer(spec: .pythonStruct)
        var messages: [FramedMessage] = []
        let bytes: [UInt8] = [1, 0, 0, 0, 0x41] + [0xFF, 0xFF, 0xFF, 0xFF]  // then struct.pack('<i', -1)
        #expect(throws: FramingError(offset: 5, reason: "negative length -1 in the i32le field")) {
            try framer.feed(bytes[...], at: 0, into: &messages)
        }
        #expect(messages.map(\.range) == [0..<5])
        #expect(framer.error?.offset == 5)
        #expect(throws: Never.self) { try framer.feed([1, 0, 0, 0, 0x41][...], at: 9, into: &messages) }
        #expect(messages.count == 1)
        #expect(framer.bufferedByteCount == 0)
    }

    @Test func gapInHeaderLosesSyncAndReportsTheCutMessage() throws {
        var framer = MessageFramer(spec: .pythonStruct)
        var messages = try framer.feed([2, 0, 0, 0, 1, 2, 3, 0][...], at: 0)
        #expect(messages.map(\.range) == [0..<6])
        messages = framer.gap(length: 10)
        #expect(messages == [FramedMessage(range: 6..<18, isComplete: false)])
        #expect(framer.state == .lostSync(offset: 8))
        #expect(try framer.feed([1, 0, 0, 0, 9][...], at: 18).isEmpty)
        #expect(try framer.finish().isEmpty)
    }

    @Test func gapInsideABodyKeepsSync() throws {
        var framer = MessageFramer(spec: .pythonStruct)
        var messages: [FramedMessage] = []
        try framer.feed([10, 0, 0, 0, 1, 2][...], at: 0, into: &messages)
        framer.gap(length: 3, into: &messages)  // bytes 6..<9 missing; body ends at 14
        try framer.feed([6, 7, 8, 9, 10, 1, 0, 0, 0, 0x41][...], at: 9, into: &messages)
        try framer.finish(into: &messages)
        #expect(messages == [FramedMessage(range: 0..<14, isComplete: false), FramedMessage(range: 14..<19)])
        #expect(framer.state == .finished)
    }

    @Test func gapEndingExactlyAtAMessageEndKeepsSync() throws {
        var framer = MessageFramer(spec: .lengthPrefixed(LengthPrefix(field: .u8)))
        var messages = try framer.feed([4, 1][...], at: 0)
        messages += framer.gap(length: 3)
        messages += try framer.feed([1, 9][...], at: 5)
        #expect(messages == [FramedMessage(range: 0..<5, isComplete: false), FramedMessage(range: 5..<7)])
        #expect(framer.state == .framing)
    }

    @Test func gapInALineResyncsAfterTheNextDelimiter() throws {
        var framer = MessageFramer(spec: .line)
        var messages = try framer.feed(ascii("one\ntw")[...], at: 0)
        messages += framer.gap(length: 5)
        messages += try framer.feed(ascii("xx\nfour\nfi")[...], at: 11)
        messages += try framer.finish()
        #expect(messages.map(\.range) == [0..<4, 4..<14, 14..<19, 19..<21])
        #expect(messages.map(\.isComplete) == [true, false, true, false])
        #expect(messages[2].summary == "four\\n")
    }

    @Test func gapAtAMessageBoundaryOfLinesMakesTheNextLineIncomplete() throws {
        var framer = MessageFramer(spec: .line)
        var messages = try framer.feed(ascii("one\n")[...], at: 0)
        messages += framer.gap(length: 2)
        messages += try framer.feed(ascii("o\n")[...], at: 6)
        #expect(
            messages == [
                FramedMessage(range: 0..<4, summary: "one\\n"), FramedMessage(range: 4..<8, isComplete: false),
            ]
        )
    }

    @Test func fixedSizeResyncsThroughAGapByArithmetic() throws {
        var framer = MessageFramer(spec: .fixed(size: 4))
        var messages = try framer.feed(Array(0..<6)[...], at: 0)
        messages += framer.gap(length: 7)  // 6..<13: cuts 4..<8, swallows 8..<12, cuts 12..<16
        messages += try framer.feed(Array(0..<7)[...], at: 13)
        messages += try framer.finish()
        #expect(messages.map(\.range) == [0..<4, 4..<8, 12..<16, 16..<20])
        #expect(messages.map(\.isComplete) == [true, false, false, true])
        #expect(framer.state == .finished)
    }

    @Test func threeHundredKilobyteMessageIsNeverBuffered() throws {
        let body = [UInt8](repeating: 0x5A, count: 300_000)
        let stream = packInt32LE(300_000) + body + packInt32LE(1) + [0x21]
        for chunkSize in [stream.count, 1_000, 1] {
            var framer = MessageFramer(spec: .pythonStruct)
            var messages: [FramedMessage] = []
            var maxBuffered = 0
            var maxCapacity = 0
            for start in stride(from: 0, to: stream.count, by: chunkSize) {
                let end = min(stream.count, start + chunkSize)
                try framer.feed(stream[start..<end], at: UInt64(start), into: &messages)
                maxBuffered = max(maxBuffered, framer.bufferedByteCount)
                maxCapacity = max(maxCapacity, framer.bufferedCapacity)
            }
            #expect(messages.map(\.range) == [0..<300_004, 300_004..<300_009], "chunk size \(chunkSize)")
            #expect(maxBuffered <= 3, "chunk size \(chunkSize)")
            #expect(maxCapacity <= 64, "chunk size \(chunkSize)")
        }
    }

    @Test func longLinesAreScannedNotBuffered() throws {
        let stream = [UInt8](repeating: 0x61, count: 200_000) + [0x0A]
        var framer = MessageFramer(spec: .delimiter(ascii("\r\n\r\n")))
        for start in stride(from: 0, to: stream.count, by: 4_096) {
            _ = try framer.feed(stream[start..<min(stream.count, start + 4_096)], at: UInt64(start))
            #expect(framer.bufferedByteCount <= 3)
        }
        let messages = try framer.finish()
        #expect(
            messages == [
                FramedMessage(range: 0..<200_001, isComplete: false, summary: String(repeating: "a", count: 32) + "…")
            ]
        )
    }

    @Test func endOfStreamReportsTheMessageInProgressForEveryFraming() throws {
        let partials: [(FramingSpec, [UInt8])] = [
            (.line, ascii("abc")), (.crlf, ascii("abc\r")), (.fixed(size: 8), [1, 2]), (.pythonStruct, [9, 0]),
            (.pythonStruct, [9, 0, 0, 0, 1]), (.jsonHeader, [9, 0, 0, 0, 0x7B]), (.resp, ascii("*2\r\n$3\r\nGET\r\n")),
            (.http1, ascii("GET / HTTP/1.1\r\nHost")),
            (.http1, ascii("POST / HTTP/1.1\r\nContent-Length: 9\r\n\r\nab")),
            (.dnsTCP, [0, 40, 1]),
        ]
        for (spec, bytes) in partials {
            let messages = try frame(spec, bytes)
            #expect(
                messages == [
                    FramedMessage(range: 0..<UInt64(bytes.count), isComplete: false, summary: messages.first?.summary)
                ],
                "\(spec)"
            )
        }
    }

    /// Specs built in code bypass the parser; the framer reports them as errors instead of trapping.
    @Test func specsTheParserRejectsFailInsteadOfTrapping() {
        let specs: [FramingSpec] = [
            .delimiter([]), .fixed(size: 0), .fixed(size: -4), .lengthPrefixed(LengthPrefix(field: .u8, offset: -2)),
        ]
        for spec in specs {
            var framer = MessageFramer(spec: spec)
            #expect(throws: FramingError.self, "\(spec)") { try framer.feed([1, 2, 3][...], at: 0) }
            #expect(framer.error?.offset == 0)
        }
    }
}

extension MessageFramerTests {
    @Test func respGapLosesSyncAndReportsTheCutCommand() throws {
        var framer = MessageFramer(spec: .resp)
        var messages = try framer.feed(ascii("+OK\r\n*2\r\n$3\r\nGET\r\n$3\r\nfo")[...], at: 0)
        messages += framer.gap(length: 4)
        #expect(
            messages == [
                FramedMessage(range: 0..<5, summary: "+OK"),
                FramedMessage(range: 5..<28, isComplete: false, summary: "GET"),
            ]
        )
        #expect(framer.state == .lostSync(offset: 24))
    }

    @Test func jsonHeaderGapInsideTheBodyKeepsSync() throws {
        let header = ascii(#"{"total_size": 10}"#)
        var framer = MessageFramer(spec: .jsonHeader)
        var messages = try framer.feed((packInt32LE(Int32(header.count)) + header + [1, 2])[...], at: 0)
        messages += framer.gap(length: 5)
        let resume = UInt64(4 + header.count + 7)
        messages += try framer.feed(([8, 9, 10] + packInt32LE(Int32(header.count)))[...], at: resume)
        #expect(messages.map(\.range) == [0..<UInt64(4 + header.count + 10)])
        #expect(messages.map(\.isComplete) == [false])
        #expect(framer.state == .framing)
        let end = UInt64(4 + header.count + 10)
        #expect(try framer.finish() == [FramedMessage(range: end..<(end + 4), isComplete: false)])
    }

    @Test func startOffsetAndCustomDecoderPlaceMessagesOnTheAxis() throws {
        var framer = MessageFramer(
            decoder: DelimiterDecoder(delimiter: [0x3B]),
            spec: .delimiter([0x3B]),
            startOffset: 100
        )
        let messages = try framer.feed(ascii("a;bc;")[...], at: 100)
        #expect(
            messages == [
                FramedMessage(range: 100..<102, summary: "a;"), FramedMessage(range: 102..<105, summary: "bc;"),
            ]
        )
        #expect(messages[1].description == #"[102, 105) "bc;""#)
        #expect(FramedMessage(range: 0..<3, isComplete: false).description == "[0, 3) incomplete")
        #expect(messages[1].length == 3)
    }
}
