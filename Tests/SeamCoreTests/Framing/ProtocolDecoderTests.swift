import Testing

@testable import SeamCore

/// What each protocol decoder refuses, with where and why, and how the two directions differ.
@Suite struct ProtocolDecoderTests {
    typealias P = ProtocolStreams

    /// Bytes that break a protocol's rules, the byte at fault and words of the reason.
    static let misfits: [(FramingSpec, Direction?, [UInt8], UInt64, String)] = [
        (.tls, nil, ascii("GET / HTTP/1.1\r\n"), 0, "0x47 is not a TLS content type"),
        (.tls, nil, [22, 2, 0, 0, 1, 0], 1, "version 2.0 is not 3.0-3.4"),
        (.tls, nil, [23, 3, 3, 0x50, 0x00], 3, "record length 20480 is over 18432"),
        (.http2, .clientToServer, ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), 0, "without Upgrade: h2c"),
        (.http2, nil, P.h2Frame(0x2A, []), 3, "frame type 0x2a is unknown"),
        (.http2, nil, P.h2Frame(4, stream: 1, []), 0, "SETTINGS on stream 1"),
        (.http2, nil, P.h2Frame(0, []), 0, "DATA on stream 0"),
        (.http2, nil, P.h2Frame(6, [1, 2]), 0, "PING frame of 2 bytes has the wrong size"),
        (.http2, .clientToServer, P.h2cUpgradeRequest + ascii("GET /"), UInt64(P.h2cUpgradeRequest.count), "preface"),
        (.grpc, .clientToServer, P.preface + P.h2Frame(0, stream: 1, ascii("<html>")), 33, "gRPC compressed flag 0x3c"),
        (
            .websocket, .clientToServer, ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), 0,
            "does not ask for Upgrade: websocket"
        ),
        (.websocket, .serverToClient, ascii("HTTP/1.1 200 OK\r\n\r\n"), 0, "answered HTTP 200, not 101"),
        (
            .websocket, .clientToServer, P.wsRequest + [0x81, 0x05] + ascii("Hello"), UInt64(P.wsRequest.count),
            "not masked"
        ),
        (
            .websocket, .serverToClient, P.wsResponse + [0x81, 0x85, 1, 2, 3, 4], UInt64(P.wsResponse.count),
            "is masked"
        ),
        (.websocket, nil, P.wsResponse + [0x83, 0], UInt64(P.wsResponse.count), "opcode 0x3 is reserved"),
        (.websocket, nil, P.wsResponse + [0x09, 0], UInt64(P.wsResponse.count), "ping frame is fragmented"),
        (.mqtt, nil, [0x00, 0x00], 0, "packet type 0 is reserved"),
        (.mqtt, nil, [0x36, 0x02, 0, 0], 0, "PUBLISH with QoS 3"),
        (.mqtt, nil, [0x80, 0x02, 0, 1], 0, "SUBSCRIBE with flags 0x0 (must be 2)"),
        (.mqtt, .clientToServer, [0x20, 0x02, 0, 0], 0, "CONNACK sent by the client"),
        (.mqtt, .serverToClient, [0xC0, 0x00], 0, "PINGREQ sent by the server"),
        (.mqtt, nil, [0xD0, 0x01, 0], 0, "PINGRESP with 1 bytes after its header"),
        (.mqtt, nil, [0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], 1, "remaining length runs past 4 bytes"),
        (.pgsql, .clientToServer, bigEndianBytes(8, 4) + bigEndianBytes(12_345, 4), 4, "startup code 12345"),
        (.pgsql, .clientToServer, bigEndianBytes(50_000, 4), 0, "startup packet length 50000"),
        (
            .pgsql, .clientToServer, P.pgStartup + P.pgTyped("Z", []), UInt64(P.pgStartup.count),
            "0x5a is not a PostgreSQL client"
        ),
        (.pgsql, .serverToClient, P.pgTyped("Q", []), 0, "0x51 is not a PostgreSQL server message type"),
        (.pgsql, .serverToClient, ascii("G"), 0, "GSSAPI encryption"),
        (.pgsql, .serverToClient, [UInt8(ascii: "R"), 0, 0, 0, 2], 0, "length 2 is outside 4…1 GiB"),
        (.mysql, nil, P.mysql(0, []), 0, "empty payload"),
        (
            .kafka, .clientToServer, bigEndianBytes(10, 4) + bigEndianBytes(500, 2) + [0, 0, 0, 0, 0, 1, 0, 0], 0,
            "API key 500"
        ),
        (.kafka, nil, bigEndianBytes(200 << 20, 4), 0, "size 209715200 is over 100 MiB"),
        (.kafka, .serverToClient, bigEndianBytes(2, 4), 0, "no room for a correlation id"),
        (.memcache, nil, ascii("hello world\r\n"), 0, "\"hello world\\r\\n\" is not a memcache command or response"),
        (.memcache, .clientToServer, ascii("STORED\r\n"), 0, "is not a memcache command"),
        (.memcache, .serverToClient, ascii("get k\r\n"), 0, "is not a memcache response"),
        (.memcache, nil, ascii("set k 0 0 2\r\nabc\r\n"), 15, "data block not followed by CR LF"),
        (.memcache, nil, ascii("set k 0 0\r\n"), 0, "set line without its data length"),
        (
            .memcache, .serverToClient, ascii("VALUE k 0 1\r\na\r\nSTORED\r\n"), 16,
            "inside a response that should end with END"
        ),
        (
            .memcache, nil, [0x80, 0, 0, 9, 2, 0, 0, 0] + bigEndianBytes(4, 4) + [UInt8](repeating: 0, count: 12), 0,
            "overrun the 4-byte body"
        ),
        (.protobuf, nil, [2, 0x00, 0x01], 1, "0x0 is not a protobuf field tag"),
        (.protobuf, nil, [2, 0x0B, 0x00], 1, "0xb is not a protobuf field tag"),
        (.protobuf, nil, [0x80, 0x80, 0x80, 0x40], 0, "over 64 MiB"),
        (.dnsTCP, nil, [0, 5, 1, 2, 3, 4, 5], 0, "DNS message of 5 bytes is shorter than its 12-byte header"),
        (
            .lineLength(LineLength(word: 1)), nil, ascii("VALUE x\n"), 0,
            "word 1 of line \"VALUE x\\n\" is \"x\", not a length"
        ),
        (.lineLength(LineLength(word: 3)), nil, ascii("END\r\n"), 0, "is nothing, not a length"),
        (.lengthPrefixed(LengthPrefix(field: .dec)), nil, ascii("x5hello"), 0, "x where a decimal length should start"),
        (.lengthPrefixed(LengthPrefix(field: .dec)), nil, ascii("12345678901234567890abc"), 0, "more than 18 digits"),
        (.lengthPrefixed(LengthPrefix(field: .dec)), nil, ascii("9999999999999999999x"), 0, "more than 18 digits"),
        (
            .lengthPrefixed(LengthPrefix(field: .varint)), nil, [UInt8](repeating: 0xFF, count: 11), 0,
            "larger than 64 bits"
        ),
        (
            .lengthPrefixed(LengthPrefix(field: .varint)), nil, [UInt8](repeating: 0x80, count: 11), 0,
            "runs past 10 bytes"
        ),
        (.lengthPrefixed(LengthPrefix(field: .u64le)), nil, [UInt8](repeating: 0xFF, count: 8), 0, "is too large"),
    ]

    @Test func bytesThatBreakAProtocolFailAtTheByteAtFault() {
        for (spec, direction, bytes, offset, reason) in Self.misfits {
            do {
                let messages = try frame(spec, bytes, direction: direction)
                Issue.record("\(spec) \(String(describing: direction)) framed \(messages)")
            } catch let error as FramingError {
                #expect(error.offset == offset, "\(spec): \(error)")
                #expect(error.reason.contains(reason), "\(spec): \(error.reason)")
            } catch {
                Issue.record("\(spec): \(error)")
            }
        }
    }

    @Test func theSameBytesFitTheOtherSideOrEither() throws {
        // A CONNACK is the server's, a masked frame the client's: refused from the wrong side only.
        #expect(try frame(.mqtt, [0x20, 0x02, 0, 0], direction: .serverToClient).count == 1)
        #expect(try frame(.mqtt, [0x20, 0x02, 0, 0]).count == 1)
        let masked = P.wsRequest + [0x81, 0x85, 1, 2, 3, 4] + ascii("Hello")
        #expect(try frame(.websocket, masked, direction: .clientToServer).count == 2)
        #expect(try frame(.websocket, masked).count == 2)
        // Kafka: a response's header reads as a plausible request's, so only the direction tells them apart.
        let responses = try frame(.kafka, P.kafkaServer.flatMap { $0 }, direction: .serverToClient)
        #expect(responses.map(\.exchange) == [.response(key: 1), .response(key: 2), .response(key: 3)])
        let requests = try frame(.kafka, P.kafkaClient.flatMap { $0 }, direction: .clientToServer)
        #expect(requests.map(\.summary) == ["ApiVersions #1", "Metadata #2", "Produce #3"])
        #expect(try frame(.kafka, P.kafkaServer.flatMap { $0 }).map(\.exchange) == [nil, nil, nil])
    }

    @Test func summariesNameWhatEachMessageIs() throws {
        #expect(
            try frame(.tls, P.tls.flatMap { $0 }).map(\.summary) == [
                "handshake", "change_cipher_spec", "application_data",
            ]
        )
        let client = try frame(.http2, P.h2Client.flatMap { $0 }, direction: .clientToServer)
        #expect(client.map(\.summary) == ["preface", "SETTINGS", "HEADERS s=1", "DATA s=1", "WINDOW_UPDATE"])
        let server = try frame(.pgsql, P.pgServer.flatMap { $0 }, direction: .serverToClient)
        #expect(
            server.prefix(4).map(\.summary) == ["SSL answer N", "Authentication", "Authentication", "ParameterStatus"]
        )
        let pgClient = try frame(.pgsql, P.pgClient.flatMap { $0 }, direction: .clientToServer)
        #expect(pgClient.map(\.summary).prefix(4) == ["SSLRequest", "StartupMessage", "Password", "Query select 1\\0"])
        let mqtt = try frame(.mqtt, P.mqttClient.flatMap { $0 }, direction: .clientToServer)
        #expect(mqtt.prefix(2).map(\.summary) == ["CONNECT", "PUBLISH a/b/c"])
        let grpc = try frame(.grpc, P.grpcClient.flatMap { $0 }, direction: .clientToServer)
        #expect(grpc.map(\.summary).filter { $0?.hasPrefix("gRPC") == true }.count == 4)
        let memcache = try frame(.memcache, P.memcacheServer.flatMap { $0 }, direction: .serverToClient)
        #expect(memcache[1].summary == "VALUE k 0 5\\r\\n")
        let ws = try frame(.websocket, P.wsServer.flatMap { $0 }, direction: .serverToClient)
        #expect(ws.map(\.summary) == ["HTTP/1.1 101 Switching Protocols", "text", "continuation", "text", "close"])
    }

    @Test func requestsAndResponsesAreMarkedForPairing() throws {
        let pgClient = try frame(.pgsql, P.pgClient.flatMap { $0 }, direction: .clientToServer)
        #expect(pgClient.compactMap(\.exchange).count == 5)  // SSLRequest, startup, 2 Query, Sync
        let pgServer = try frame(.pgsql, P.pgServer.flatMap { $0 }, direction: .serverToClient)
        #expect(pgServer.compactMap(\.exchange).count == 3)  // the answer N and two ReadyForQuery
        #expect(MessagePairing.unanswered(requests: pgClient, responses: pgServer) == [7, 8])
        let mqttClient = try frame(.mqtt, P.mqttClient.flatMap { $0 }, direction: .clientToServer)
        let mqttServer = try frame(.mqtt, P.mqttServer.flatMap { $0 }, direction: .serverToClient)
        // CONNECT, PUBLISH QoS 1 (id 1), PINGREQ, SUBSCRIBE (id 2), PUBREL (id 7): all answered.
        #expect(mqttClient.compactMap(\.exchange).count == 5)
        #expect(MessagePairing.unanswered(requests: mqttClient, responses: mqttServer).isEmpty)
        let dropped = mqttServer.filter { $0.summary != "SUBACK" }
        #expect(MessagePairing.unanswered(requests: mqttClient, responses: dropped) == [4])
        let kafka = try frame(.kafka, P.kafkaClient.flatMap { $0 }, direction: .clientToServer)
        let answers = try frame(.kafka, Array(P.kafkaServer.reversed()).flatMap { $0 }, direction: .serverToClient)
        #expect(MessagePairing.unanswered(requests: kafka, responses: answers).isEmpty)
        #expect(MessagePairing.unanswered(requests: kafka, responses: Array(answers.prefix(1))) == [0, 1])
        let redis = try frame(.resp, ascii("*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPING\r\n"), direction: .clientToServer)
        let pong = try frame(.resp, ascii("+PONG\r\n>2\r\n$7\r\nmessage\r\n$1\r\nx\r\n"), direction: .serverToClient)
        #expect(pong.map(\.exchange) == [.response(key: 0), nil])
        #expect(MessagePairing.unanswered(requests: redis, responses: pong) == [1])
        let http = try frame(.http1, ascii("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))
        #expect(http.map(\.exchange) == [nil, .response(key: 0)])
        let h2 = try frame(.http2, P.h2Server.flatMap { $0 }, direction: .serverToClient)
        #expect(h2.compactMap(\.exchange) == [.response(key: 1)])
        #expect(FramingSpec.pgsql.pairing == .inOrder && FramingSpec.kafka.pairing == .byKey)
        #expect(FramingSpec.tls.pairing == nil && FramingSpec.line.pairing == nil)
    }
}
