@testable import SeamCore

/// Streams of the framing language's newer forms: 3- and 8-byte fields, both byte orders, varints, decimal
/// lengths, header bytes after the length, a first message of its own, and the specs without byte messages.
extension FramingStreamCase {
    static let language: [FramingStreamCase] = [
        FramingStreamCase(
            name: "u24le length then a sequence byte (MySQL's layout)",
            spec: .lengthPrefixed(LengthPrefix(field: .u24le, after: 1)),
            bytes: [2, 0, 0, 0, 0xAA, 0xBB] + [0, 0, 0, 1] + [1, 0, 0, 2, 0xCC] + littleEndianBytes(300, 3) + [3]
                + [UInt8](repeating: 7, count: 300),
            lengths: [6, 4, 5, 304]
        ),
        FramingStreamCase(
            name: "u24be length (HTTP/2's width), body only",
            spec: .lengthPrefixed(LengthPrefix(field: .u24be)),
            bytes: [0, 0, 2, 0x41, 0x42] + bigEndianBytes(1_600, 3) + [UInt8](repeating: 1, count: 1_600),
            lengths: [5, 1_603]
        ),
        FramingStreamCase(
            name: "u64le length",
            spec: .lengthPrefixed(LengthPrefix(field: .u64le)),
            bytes: littleEndianBytes(3, 8) + ascii("abc") + littleEndianBytes(0, 8),
            lengths: [11, 8]
        ),
        FramingStreamCase(
            name: "u32be at offset 8 with 12 header bytes after it (memcache binary)",
            spec: .lengthPrefixed(LengthPrefix(field: .u32be, offset: 8, after: 12)),
            bytes: [0x80, 0, 0, 1, 0, 0, 0, 0] + bigEndianBytes(1, 4) + [UInt8](repeating: 0, count: 12) + ascii("k"),
            lengths: [25]
        ),
        FramingStreamCase(
            name: "protobuf-style varints of one, two and three bytes",
            spec: .lengthPrefixed(LengthPrefix(field: .varint)),
            bytes: [3, 1, 2, 3] + [0x80, 0x01] + [UInt8](repeating: 9, count: 128) + [0]
                + [0x80, 0x80, 0x01] + [UInt8](repeating: 8, count: 16_384),
            lengths: [4, 130, 1, 16_387]
        ),
        FramingStreamCase(
            name: "MQTT remaining length after a type byte",
            spec: .lengthPrefixed(LengthPrefix(field: .mqttvar, offset: 1)),
            bytes: [0x30, 2, 0x61, 0x62] + [0xC0, 0] + [0x30, 0xC8, 0x01] + [UInt8](repeating: 5, count: 200),
            lengths: [4, 2, 203]
        ),
        FramingStreamCase(
            name: "the seed's decimal length then data, the last one cut",
            spec: .lengthPrefixed(LengthPrefix(field: .dec)),
            bytes: ascii("5hello12total 96\nabc3ab"),
            lengths: [6, 14, 3],
            lastIsIncomplete: true
        ),
        FramingStreamCase(
            name: "a line with the length, then the data",
            spec: .lineLength(LineLength()),
            bytes: ascii("5\nhello3\r\nabc0\n"),
            lengths: [7, 6, 2]
        ),
        FramingStreamCase(
            name: "memcache-style VALUE lines, END without a block",
            spec: .lineLength(LineLength(word: 3, adjustment: 2, isOptional: true)),
            bytes: ascii("VALUE k 0 3\r\nabc\r\nVALUE k2 7 0 12\r\n\r\nEND\r\n"),
            lengths: [18, 19, 5]
        ),
        FramingStreamCase(
            name: "the last word holds the length",
            spec: .lineLength(LineLength(word: -1)),
            bytes: ascii("put a 2\nxyput 1\nz"),
            lengths: [10, 7]
        ),
        FramingStreamCase(
            name: "PostgreSQL's untyped startup, then typed messages",
            spec: .firstThen(
                first: .lengthPrefixed(LengthPrefix(field: .u32be, includesHeader: true)),
                then: .lengthPrefixed(LengthPrefix(field: .u32be, offset: 1, adjustment: 1, includesHeader: true))
            ),
            bytes: bigEndianBytes(9, 4) + bigEndianBytes(196_608, 4) + [0] + ascii("Q") + bigEndianBytes(6, 4)
                + ascii("x\0")
                + ascii("X") + bigEndianBytes(4, 4),
            lengths: [9, 7, 5]
        ),
        FramingStreamCase(
            name: "a one-line greeting, then struct.pack('i') messages",
            spec: .firstThen(first: .line, then: .pythonStruct),
            bytes: ascii("HELLO 1\n") + packInt32LE(2) + ascii("ok") + packInt32LE(0),
            lengths: [8, 6, 4]
        ),
        FramingStreamCase(name: "sends frames no bytes", spec: .sends, bytes: ascii("abc\ndef"), lengths: []),
        FramingStreamCase(name: "segments frames no bytes", spec: .segments, bytes: [1, 2, 3], lengths: []),
        FramingStreamCase(name: "none frames nothing", spec: .noMessages, bytes: ascii("x"), lengths: []),
    ]
}
