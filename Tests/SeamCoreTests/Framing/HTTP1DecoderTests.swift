import Testing

@testable import SeamCore

@Suite struct HTTP1DecoderTests {
    static let pieces: [(String, String)] = [
        ("POST /upload HTTP/1.1\r\nHost: a\r\ncontent-LENGTH: 5\r\n\r\nhello", "POST /upload HTTP/1.1"),
        ("GET /a HTTP/1.1\r\nHost: a\r\n\r\n", "GET /a HTTP/1.1"),
        ("\r\nGET /b HTTP/1.1\r\n\r\n", "GET /b HTTP/1.1"),
        ("HTTP/1.1 100 Continue\r\n\r\n", "HTTP/1.1 100 Continue"),
        (
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n5;ext=1\r\nhello\r\n10\r\n0123456789abcdef\r\n"
                + "0\r\nExpires: never\r\nX-Trailer: 1\r\n\r\n",
            "HTTP/1.1 200 OK"
        ),
        ("HTTP/1.1 204 No Content\r\nContent-Length: 99\r\n\r\n", "HTTP/1.1 204 No Content"),
        ("HTTP/1.1 304 Not Modified\r\n\r\n", "HTTP/1.1 304 Not Modified"),
        ("HTTP/1.1 200 OK\nContent-Length: 2\n\nok", "HTTP/1.1 200 OK"),
        ("PUT /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "PUT /c HTTP/1.1"),
    ]
    static let stream: [UInt8] = pieces.flatMap { ascii($0.0) }
    static let lengths = pieces.map { $0.0.utf8.count }

    @Test func framesRequestsAndResponsesWithStartLineSummaries() throws {
        let messages = try frame(.http1, Self.stream)
        #expect(messages.map(\.range) == ranges(Self.lengths))
        #expect(messages.map(\.summary) == Self.pieces.map(\.1))
        #expect(messages.allSatisfy { $0.isComplete })
    }

    @Test func responseWithoutLengthRunsToTheEndOfTheStream() throws {
        var framer = MessageFramer(spec: .http1)
        let head = ascii("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n")
        #expect(try framer.feed(head[...], at: 0).isEmpty)
        #expect(try framer.feed(ascii("GET / HTTP/1.1\r\n\r\n")[...], at: UInt64(head.count)).isEmpty)
        let messages = try framer.finish()
        #expect(messages == [FramedMessage(range: 0..<UInt64(head.count + 18), summary: "HTTP/1.1 200 OK")])
    }

    @Test func switchingProtocolsMakesTheRestOneMessage() throws {
        let upgrade = ascii("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n")
        let messages = try frame(.http1, upgrade + [0x81, 0x02, 0x68, 0x69])
        #expect(messages.map(\.range) == ranges([upgrade.count, 4]))
        #expect(messages.last?.summary == "(upgraded protocol)")
    }

    @Test func headerBlockOverTheLimitIsAnError() {
        let stream = ascii("GET / HTTP/1.1\r\n") + [UInt8](repeating: 0x61, count: HTTP1Decoder.headLimit)
        #expect(throws: FramingError(offset: 0, reason: "HTTP header block longer than 65536 bytes")) {
            try frame(.http1, stream, cuts: [100, 30_000])
        }
    }

    @Test func malformedHeadsAreErrors() {
        let heads = [
            "HELLO\r\n\r\n", "HTTP/1.1 2x0 OK\r\n\r\n", "GET / HTTP/1.1\r\nNoColon\r\n\r\n",
            "GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", "GET / HTTP/1.1\r\nContent-Length: 1, 2\r\n\r\n",
            "POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nabc",
        ]
        for head in heads {
            #expect(throws: FramingError.self, "\(head)") { try frame(.http1, ascii(head)) }
        }
    }

    @Test func gapInAContentLengthBodyKeepsSyncAndInAChunkedBodyLosesIt() throws {
        var framer = MessageFramer(spec: .http1)
        let request = ascii("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n")
        var messages = try framer.feed(request[...] + ascii("ab")[...], at: 0)
        messages += framer.gap(length: 4)
        let next = UInt64(request.count + 6)
        messages += try framer.feed(ascii("cdefGET / HTTP/1.1\r\n\r\n")[...], at: next)
        #expect(messages.map(\.isComplete) == [false, true])
        #expect(messages.first?.range == 0..<UInt64(request.count + 10))

        var chunked = MessageFramer(spec: .http1)
        _ = try chunked.feed(ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab")[...], at: 0)
        #expect(chunked.gap(length: 1).map(\.isComplete) == [false])
        #expect(chunked.state == .lostSync(offset: 52))
    }
}
