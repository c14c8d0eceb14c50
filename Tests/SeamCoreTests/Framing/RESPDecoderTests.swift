import Testing

@testable import SeamCore

@Suite struct RESPDecoderTests {
    static let pieces: [(String, String)] = [
        ("*3\r\n$3\r\nSET\r\n$3\r\nfoo\r\n$3\r\nbar\r\n", "SET foo"),
        ("*2\r\n$3\r\nGET\r\n$3\r\nfoo\r\n", "GET foo"),
        ("PING\r\n", "PING"),
        ("+OK\r\n", "+OK"),
        ("-ERR unknown command\r\n", "-ERR unknown command"),
        (":1000\r\n", ":1000"),
        ("$-1\r\n", "$-1"),
        ("$0\r\n\r\n", ""),
        ("*-1\r\n", "*-1"),
        ("*0\r\n", "*0"),
        ("*2\r\n*2\r\n:1\r\n$-1\r\n*1\r\n+x\r\n", "1 (nil)"),
        ("$12\r\nhello\r\nworld\r\n", "hello\\r\\nworld"),
        ("%1\r\n+key\r\n#t\r\n", "key t"),
        ("|1\r\n+ttl\r\n:3\r\n,1.5\r\n", "ttl 3"),
        ("~2\r\n_\r\n(123\r\n", "(nil) 123"),
        (">2\r\n=7\r\ntxt:abc\r\n!3\r\nerr\r\n", "txt:abc err"),
        ("inline command\n", "inline command"),
    ]
    static let stream: [UInt8] = pieces.flatMap { ascii($0.0) }
    static let lengths = pieces.map { $0.0.utf8.count }

    @Test func framesEveryValueKindWithItsSummary() throws {
        let messages = try frame(.resp, Self.stream)
        #expect(messages.map(\.range) == ranges(Self.lengths))
        #expect(messages.map(\.summary) == Self.pieces.map(\.1))
    }

    @Test func unknownTypeInsideAnArrayIsAnErrorAtItsOffset() {
        let stream = ascii("+OK\r\n*2\r\n:1\r\nHELLO\r\n")
        #expect(throws: FramingError(offset: 13, reason: "unknown RESP type byte 0x48 ('H') inside an aggregate")) {
            try frame(.resp, stream)
        }
    }

    @Test func badLengthsAndMissingBulkTerminatorAreErrors() {
        for text in ["$-2\r\n", "*x\r\n", "$3\r\nabcd\r\n", "|8000000000000000000\r\n", "%4611686018427387904\r\n"] {
            #expect(throws: FramingError.self, "\(text)") { try frame(.resp, ascii(text)) }
        }
    }

    @Test func bulkPayloadIsSkippedByCount() throws {
        let payload = [UInt8](repeating: 0x0A, count: 100_000)  // full of LFs: must not be read as lines
        let stream = ascii("$100000\r\n") + payload + ascii("\r\n+OK\r\n")
        var framer = MessageFramer(spec: .resp)
        var messages: [FramedMessage] = []
        for start in stride(from: 0, to: stream.count, by: 777) {
            try framer.feed(stream[start..<min(stream.count, start + 777)], at: UInt64(start), into: &messages)
            #expect(framer.bufferedByteCount < 777)
        }
        #expect(messages.map(\.range) == ranges([100_011, 5]))
    }

    @Test func overlongLineIsAnError() {
        let stream = ascii("+") + [UInt8](repeating: 0x61, count: RESPDecoder.lineLimit + 10)
        #expect(throws: FramingError.self) { try frame(.resp, stream, cuts: [1000, 70_000]) }
    }
}
