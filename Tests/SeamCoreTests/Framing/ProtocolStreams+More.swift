@testable import SeamCore

extension ProtocolStreams {
    // MARK: MySQL

    static func mysql(_ sequence: UInt8, _ payload: [UInt8]) -> [UInt8] {
        littleEndianBytes(UInt64(payload.count), 3) + [sequence] + payload
    }

    static let mysqlGreeting = mysql(0, [10] + ascii("5.7.0\0") + [UInt8](repeating: 1, count: 13))
    static let mysqlServer = [
        mysqlGreeting, mysql(2, [0, 0, 0, 2, 0, 0, 0]), mysql(1, [1]), mysql(2, [3] + ascii("def")),
        mysql(3, [0xFE, 0, 0, 2, 0]), mysql(4, [1] + ascii("1")), mysql(5, [0xFE, 0, 0, 2, 0]),
        mysql(1, [0xFF, 0x48, 0x04] + ascii("#HY000 oops")),
    ]
    static let mysqlClient = [
        mysql(
            1,
            littleEndianBytes(0x000A_A685, 4) + littleEndianBytes(1 << 24, 4) + [33] + [UInt8](repeating: 0, count: 23)
                + ascii("root\0\0")
        ),
        mysql(0, [3] + ascii("select 1")), mysql(0, [3] + [UInt8](repeating: 0x61, count: 1_700)), mysql(0, [1]),
    ]
    static let mysqlSSLClient = [
        mysql(
            1,
            littleEndianBytes(0x000A_AE85, 4) + littleEndianBytes(1 << 24, 4) + [33] + [UInt8](repeating: 0, count: 23)
        ),
        tlsRecord(22, [1, 0, 0, 0]), tlsRecord(23, [9, 9]),
    ]
    static let mysqlSSLServer = [mysqlGreeting, tlsRecord(22, [2, 0, 0, 0]), tlsRecord(20, [1])]

    // MARK: Kafka

    static func kafkaRequest(key: UInt64, version: UInt64, correlation: UInt64, body: [UInt8]) -> [UInt8] {
        let message =
            bigEndianBytes(key, 2) + bigEndianBytes(version, 2) + bigEndianBytes(correlation, 4) + bigEndianBytes(2, 2)
            + ascii("ab") + body
        return bigEndianBytes(UInt64(message.count), 4) + message
    }

    static func kafkaResponse(correlation: UInt64, body: [UInt8]) -> [UInt8] {
        bigEndianBytes(UInt64(body.count + 4), 4) + bigEndianBytes(correlation, 4) + body
    }

    static let kafkaClient = [
        kafkaRequest(key: 18, version: 3, correlation: 1, body: [0, 0]),
        kafkaRequest(key: 3, version: 9, correlation: 2, body: []),
        kafkaRequest(key: 0, version: 7, correlation: 3, body: [UInt8](repeating: 0x11, count: 1_700)),
    ]
    static let kafkaServer = [
        kafkaResponse(correlation: 1, body: [0, 0, 0, 0, 0, 0]), kafkaResponse(correlation: 2, body: []),
        kafkaResponse(correlation: 3, body: [UInt8](repeating: 0, count: 20)),
    ]

    // MARK: memcache

    static let memcacheClient = [
        ascii("set k 0 0 5\r\nhello\r\n"), ascii("get k\r\n"), ascii("delete k noreply\r\n"), ascii("mg k v\r\n"),
        ascii("ms k 2\r\nhi\r\n"), ascii("incr n 1\r\n"),
        ascii("set big 0 0 1700\r\n") + [UInt8](repeating: 0x62, count: 1_700) + ascii("\r\n"), ascii("quit\r\n"),
    ]
    static let memcacheServer = [
        ascii("STORED\r\n"), ascii("VALUE k 0 5\r\nhello\r\nVALUE k2 1 2 99\r\nhi\r\nEND\r\n"), ascii("END\r\n"),
        ascii("VA 2 f0\r\nhi\r\n"), ascii("HD\r\n"), ascii("12\r\n"), ascii("STAT pid 1\r\nSTAT uptime 2\r\nEND\r\n"),
        ascii("SERVER_ERROR out of memory\r\n"),
    ]
    static let memcacheBinary: [[UInt8]] = [
        [0x80, 0x00, 0, 1, 0, 0, 0, 0] + bigEndianBytes(1, 4) + bigEndianBytes(7, 4) + [UInt8](repeating: 0, count: 8)
            + ascii("k"),
        [0x81, 0x00, 0, 0, 4, 0, 0, 0] + bigEndianBytes(9, 4) + bigEndianBytes(7, 4) + [UInt8](repeating: 0, count: 8)
            + [0, 0, 0, 0] + ascii("hello"),
    ]

    // MARK: protobuf

    static let protobuf = [
        [3, 0x08, 0x96, 0x01], [0], [2, 0x12, 0x00],
        [0xAC, 0x02, 0x0A] + [UInt8](repeating: 0x41, count: 299),
    ]
}

extension FramingStreamCase {
    /// A case whose messages are `parts`, each one message.
    static func messages(
        _ name: String,
        _ spec: FramingSpec,
        _ parts: [[UInt8]],
        direction: Direction? = nil
    ) -> FramingStreamCase {
        FramingStreamCase(
            name: name,
            spec: spec,
            bytes: parts.flatMap { $0 },
            lengths: parts.map(\.count),
            direction: direction
        )
    }

    typealias P = ProtocolStreams

    static let protocols: [FramingStreamCase] = [
        messages("records", .tls, P.tls),
        messages("client preface and frames", .http2, P.h2Client, direction: .clientToServer),
        messages("client frames, either side", .http2, P.h2Client),
        messages("server frames", .http2, P.h2Server, direction: .serverToClient),
        messages("h2c upgrade request", .http2, [P.h2cUpgradeRequest] + P.h2Client, direction: .clientToServer),
        messages("h2c upgrade response", .http2, [P.h2cUpgradeResponse] + P.h2Server, direction: .serverToClient),
        messages("unary and streamed gRPC messages", .grpc, P.grpcClient, direction: .clientToServer),
        messages("upgrade then masked frames", .websocket, P.wsClient, direction: .clientToServer),
        messages("101 then frames", .websocket, P.wsServer, direction: .serverToClient),
        messages("client packets", .mqtt, P.mqttClient, direction: .clientToServer),
        messages("server packets", .mqtt, P.mqttServer, direction: .serverToClient),
        messages("client packets, either side", .mqtt, P.mqttClient),
        messages("SSLRequest, startup, queries", .pgsql, P.pgClient, direction: .clientToServer),
        messages("SSL refused, then typed messages", .pgsql, P.pgServer, direction: .serverToClient),
        messages("server, sensed from its first byte", .pgsql, P.pgServer),
        messages("client, sensed from its first byte", .pgsql, P.pgClient),
        messages(
            "SSL accepted: TLS after S",
            .pgsql,
            [ascii("S"), P.tlsRecord(22, [2, 0]), P.tlsRecord(23, [1])],
            direction: .serverToClient
        ),
        messages(
            "SSLRequest then TLS",
            .pgsql,
            [P.pgSSLRequest, P.tlsRecord(22, [1, 0, 0, 5])],
            direction: .clientToServer
        ),
        messages("greeting, login answer, result set", .mysql, P.mysqlServer, direction: .serverToClient),
        messages("login, commands", .mysql, P.mysqlClient, direction: .clientToServer),
        messages("SSL request then TLS", .mysql, P.mysqlSSLClient, direction: .clientToServer),
        messages("greeting then TLS", .mysql, P.mysqlSSLServer, direction: .serverToClient),
        messages("requests", .kafka, P.kafkaClient, direction: .clientToServer),
        messages("requests framed by size without a direction", .kafka, P.kafkaClient),
        messages("responses", .kafka, P.kafkaServer, direction: .serverToClient),
        messages("commands", .memcache, P.memcacheClient, direction: .clientToServer),
        messages("responses", .memcache, P.memcacheServer, direction: .serverToClient),
        messages("binary request and response", .memcache, P.memcacheBinary),
        messages("varint-delimited", .protobuf, P.protobuf),
    ]
}
