@testable import SeamCore

/// Hand-made byte streams of the built-in protocols, message by message, as each protocol's spec lays them out.
enum ProtocolStreams {
    // MARK: TLS

    static func tlsRecord(_ type: UInt8, _ body: [UInt8], minor: UInt8 = 3) -> [UInt8] {
        [type, 3, minor] + bigEndianBytes(UInt64(body.count), 2) + body
    }

    static let tls = [tlsRecord(22, [1, 0, 0, 1, 0], minor: 1), tlsRecord(20, [1]), tlsRecord(23, ascii("xyz"))]

    // MARK: HTTP/2 and gRPC

    static func h2Frame(_ type: UInt8, flags: UInt8 = 0, stream: UInt64 = 0, _ payload: [UInt8]) -> [UInt8] {
        bigEndianBytes(UInt64(payload.count), 3) + [type, flags] + bigEndianBytes(stream, 4) + payload
    }

    static let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)
    static let h2Client = [
        preface, h2Frame(4, [0, 3, 0, 0, 0, 100]), h2Frame(1, flags: 5, stream: 1, [0x82, 0x86, 0x84]),
        h2Frame(0, flags: 1, stream: 1, []), h2Frame(8, [0, 0, 0, 1]),
    ]
    static let h2Server = [
        h2Frame(4, []), h2Frame(4, flags: 1, []), h2Frame(1, flags: 4, stream: 1, [0x88]),
        h2Frame(0, flags: 1, stream: 1, ascii("hello")), h2Frame(6, [UInt8](repeating: 0, count: 8)),
        h2Frame(7, [0, 0, 0, 1, 0, 0, 0, 0]),
    ]
    static let h2cUpgradeRequest = ascii(
        "GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
            + "HTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n"
    )
    static let h2cUpgradeResponse = ascii(
        "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n"
    )

    static func grpcMessage(_ body: [UInt8]) -> [UInt8] { [0] + bigEndianBytes(UInt64(body.count), 4) + body }

    /// A client's unary call and a streamed one: the messages `grpc` cuts (a frame header joins the message
    /// after it; one gRPC message spans two DATA frames; a padded DATA frame).
    static let grpcClient: [[UInt8]] = {
        let settings = h2Frame(4, [])
        let headers = h2Frame(1, flags: 4, stream: 1, [0x83, 0x86])
        let first = grpcMessage(ascii("abc"))
        let second = grpcMessage(ascii("de"))
        let data = h2Frame(0, stream: 1, first + second)
        let spanning = grpcMessage(ascii("fghi"))
        let part1 = h2Frame(0, stream: 1, Array(spanning[0..<7]))
        let part2 = h2Frame(0, flags: 1, stream: 1, Array(spanning[7...]))
        let padded = h2Frame(0, flags: 0x09, stream: 3, [2] + grpcMessage(ascii("z")) + [0, 0])
        let rst = h2Frame(3, stream: 3, [0, 0, 0, 8])
        let empty = h2Frame(0, flags: 1, stream: 5, [])
        return [
            preface, settings, headers, Array(data[0..<(9 + first.count)]), second, part1 + part2, padded, rst, empty,
        ]
    }()

    // MARK: WebSocket

    static let wsRequest = ascii(
        "GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    static let wsResponse = ascii(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"
    )
    static let wsClient = [
        wsRequest, [0x81, 0x85, 1, 2, 3, 4] + ascii("Hello"), [0x89, 0x80, 9, 9, 9, 9],
        [0x82, 0xFE] + bigEndianBytes(126, 2) + [5, 6, 7, 8] + [UInt8](repeating: 3, count: 126),
        [0x82, 0xFF] + bigEndianBytes(1_600, 8) + [5, 6, 7, 8] + [UInt8](repeating: 4, count: 1_600),
    ]
    static let wsServer = [
        wsResponse, [0x01, 0x03] + ascii("Hel"), [0x80, 0x02] + ascii("lo"), [0xC1, 0x01, 0x61],
        [0x88, 0x02, 0x03, 0xE8],
    ]

    // MARK: MQTT

    static func mqtt(_ first: UInt8, _ rest: [UInt8]) -> [UInt8] {
        var length = rest.count
        var encoded: [UInt8] = []
        repeat {
            var byte = UInt8(length % 128)
            length /= 128
            if length > 0 { byte |= 0x80 }
            encoded.append(byte)
        } while length > 0
        return [first] + encoded + rest
    }

    static let mqttClient = [
        mqtt(0x10, [0, 4] + ascii("MQTT") + [4, 2, 0, 60, 0, 1] + ascii("a")),
        mqtt(0x32, [0, 5] + ascii("a/b/c") + [0, 1] + ascii("hi")),
        mqtt(0x30, [0, 1] + ascii("t") + [UInt8](repeating: 0x55, count: 200)),
        mqtt(0xC0, []), mqtt(0x82, [0, 2, 0, 1] + ascii("t") + [1]), mqtt(0x62, [0, 7]),
        mqtt(0x30, [0, 1] + ascii("big") + [UInt8](repeating: 0x66, count: 1_700)), mqtt(0xE0, []),
    ]
    static let mqttServer = [
        mqtt(0x20, [0, 0]), mqtt(0x40, [0, 1]), mqtt(0x90, [0, 2, 1]), mqtt(0xD0, []), mqtt(0x70, [0, 7]),
        mqtt(0x31, [0, 1] + ascii("t") + ascii("retained")),
    ]

    // MARK: PostgreSQL

    static func pgTyped(_ type: Character, _ body: [UInt8]) -> [UInt8] {
        [type.asciiValue!] + bigEndianBytes(UInt64(body.count + 4), 4) + body
    }

    static let pgSSLRequest = bigEndianBytes(8, 4) + bigEndianBytes(80_877_103, 4)
    static let pgStartup: [UInt8] = {
        let body = bigEndianBytes(196_608, 4) + ascii("user\0bob\0\0")
        return bigEndianBytes(UInt64(body.count + 4), 4) + body
    }()
    static let pgClient = [
        pgSSLRequest, pgStartup, pgTyped("p", ascii("secret\0")), pgTyped("Q", ascii("select 1\0")),
        pgTyped("P", ascii("\0select 2\0") + [0, 0]), pgTyped("B", [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
        pgTyped("E", [0, 0, 0, 0, 0]), pgTyped("S", []),
        pgTyped("Q", ascii("insert ") + [UInt8](repeating: 0x61, count: 1_700) + [0]),
        pgTyped("X", []),
    ]
    static let pgServer = [
        ascii("N"), pgTyped("R", [0, 0, 0, 3]), pgTyped("R", [0, 0, 0, 0]), pgTyped("S", ascii("a\0b\0")),
        pgTyped("K", [0, 0, 0, 1, 0, 0, 0, 2]), pgTyped("Z", ascii("I")), pgTyped("T", [0, 0]),
        pgTyped("D", [0, 0]), pgTyped("C", ascii("SELECT 1\0")), pgTyped("Z", ascii("I")), pgTyped("N", ascii("x\0")),
    ]
}
