import Testing

@testable import SeamCore

/// Each protocol with a message over 64 KiB, fed in every chunking, keeps its buffer small: bodies are skipped by
/// count, never held.
@Suite struct LargeMessageTests {
    typealias P = ProtocolStreams
    static let large = [UInt8](repeating: 0x6C, count: 70_000)

    static let cases: [FramingStreamCase] = [
        .messages(
            "TLS records of a large transfer",
            .tls,
            stride(from: 0, to: 5, by: 1).map { _ in P.tlsRecord(23, Array(large.prefix(16_384))) }
        ),
        .messages(
            "HTTP/2 DATA of 70 000 bytes (a raised SETTINGS_MAX_FRAME_SIZE)",
            .http2,
            [P.preface, P.h2Frame(0, stream: 1, large)],
            direction: .clientToServer
        ),
        .messages("gRPC message of 70 000 bytes over five DATA frames", .grpc, grpcLarge, direction: .clientToServer),
        .messages(
            "WebSocket frame of 70 000 bytes",
            .websocket,
            [P.wsResponse, [0x82, 0x7F] + bigEndianBytes(70_000, 8) + large],
            direction: .serverToClient
        ),
        .messages(
            "MQTT PUBLISH of 70 000 bytes",
            .mqtt,
            [P.mqtt(0x10, [0, 4] + ascii("MQTT") + [4, 2, 0, 60, 0, 0]), P.mqtt(0x30, [0, 1] + ascii("t") + large)],
            direction: .clientToServer
        ),
        .messages(
            "PostgreSQL DataRow of 70 000 bytes",
            .pgsql,
            [
                P.pgTyped("R", [0, 0, 0, 0]), P.pgTyped("D", [0, 1] + bigEndianBytes(70_000, 4) + large),
                P.pgTyped("Z", ascii("I")),
            ],
            direction: .serverToClient
        ),
        .messages(
            "MySQL row of 70 000 bytes",
            .mysql,
            [P.mysqlGreeting, P.mysql(1, [0xFC] + littleEndianBytes(70_000, 2) + large)],
            direction: .serverToClient
        ),
        .messages(
            "Kafka Produce of 70 000 bytes",
            .kafka,
            [P.kafkaRequest(key: 0, version: 7, correlation: 9, body: large)],
            direction: .clientToServer
        ),
        .messages(
            "memcache VALUE of 70 000 bytes",
            .memcache,
            [ascii("VALUE k 0 70000\r\n") + large + ascii("\r\nEND\r\n"), ascii("STORED\r\n")],
            direction: .serverToClient
        ),
        .messages("RESP bulk of 70 000 bytes", .resp, [ascii("$70000\r\n") + large + ascii("\r\n"), ascii("+OK\r\n")]),
        .messages(
            "protobuf message of 70 000 bytes",
            .protobuf,
            [[0xF0, 0xA2, 0x04, 0x0A] + Array(large.dropLast(1))]
        ),
        .messages(
            "DNS over TCP answer of 65 535 bytes",
            .dnsTCP,
            [[0xFF, 0xFF, 0x12, 0x34, 0x81, 0x80, 0, 1] + [UInt8](repeating: 0, count: 65_529)]
        ),
        .messages("linelen block of 70 000 bytes", .lineLength(LineLength()), [ascii("70000\n") + large]),
    ]

    static var grpcLarge: [[UInt8]] {
        let message = P.grpcMessage(large)
        var frames: [UInt8] = []
        var start = 0
        while start < message.count {
            let end = min(start + 16_384, message.count)
            frames += P.h2Frame(0, flags: end == message.count ? 1 : 0, stream: 1, Array(message[start..<end]))
            start = end
        }
        return [P.preface, frames]
    }

    @Test(arguments: cases, [Chunking.whole, .byteByByte, .perMessage, .random(seed: 3), .random(seed: 8)])
    func largeMessagesAreFramedInEveryChunkingWithABoundedBuffer(_ stream: FramingStreamCase, _ chunking: Chunking)
        throws
    {
        var framer = MessageFramer(spec: stream.spec, direction: stream.direction)
        var messages: [FramedMessage] = []
        var start = 0
        var largestBuffer = 0
        for cut in chunking.cuts(count: stream.bytes.count, messageEnds: stream.messageEnds) + [stream.bytes.count]
        where cut >= start {
            try framer.feed(stream.bytes[start..<cut], at: UInt64(start), into: &messages)
            largestBuffer = max(largestBuffer, framer.bufferedByteCount)
            start = cut
        }
        try framer.finish(into: &messages)
        #expect(messages.map(\.range) == stream.expected.map(\.range))
        #expect(messages.filter { !$0.isComplete }.isEmpty)
        #expect(largestBuffer < 2048, "\(stream): held \(largestBuffer) bytes")
    }
}
