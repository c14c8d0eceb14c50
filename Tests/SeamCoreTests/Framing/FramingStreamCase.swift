@testable import SeamCore

/// A hand-made stream with the messages its framing must find, whatever the chunking.
struct FramingStreamCase: Sendable, CustomStringConvertible {
    var name: String
    var spec: FramingSpec
    var bytes: [UInt8]
    /// Message lengths in order; the last one may be incomplete.
    var lengths: [Int]
    /// Whether the last message is unfinished at the end of the stream.
    var lastIsIncomplete = false
    /// The direction the framer is told (`nil`: either).
    var direction: Direction? = nil

    var description: String { "\(spec) \(direction.map { $0.rawValue + " " } ?? "")\(name)" }

    var expected: [FramedMessage] {
        let all = ranges(lengths)
        return all.enumerated().map { index, range in
            FramedMessage(range: range, isComplete: !(lastIsIncomplete && index == all.count - 1))
        }
    }

    var messageEnds: [Int] { ranges(lengths).map { Int($0.upperBound) } }

    static func bigEndian(_ value: UInt64, size: Int) -> [UInt8] {
        (0..<size).reversed().map { UInt8(value >> (8 * UInt64($0)) & 0xFF) }
    }

    /// The hand-made streams of every framing: the generic layouts here, the language's new forms and the
    /// protocols in their own files.
    static let all: [FramingStreamCase] = basic + language + protocols

    static let basic: [FramingStreamCase] = [
        FramingStreamCase(
            name: "lines and a trailing partial",
            spec: .line,
            bytes: ascii("hello\nworld\n\nlast"),
            lengths: [6, 6, 1, 4],
            lastIsIncomplete: true
        ),
        FramingStreamCase(name: "lines", spec: .line, bytes: ascii("a\nbb\nccc\n"), lengths: [2, 3, 4]),
        FramingStreamCase(
            name: "crlf with lone CR and LF",
            spec: .crlf,
            bytes: ascii("one\r\ntw\ro\nx\r\n\r\n"),
            lengths: [5, 8, 2]
        ),
        FramingStreamCase(
            name: "multi-byte delimiter with partial matches",
            spec: .delimiter(ascii("END")),
            bytes: ascii("aENDbbENENDEEND"),
            lengths: [4, 7, 4]
        ),
        FramingStreamCase(
            name: "CRLFCRLF delimiter",
            spec: .delimiter(ascii("\r\n\r\n")),
            bytes: ascii("a\r\nb\r\n\r\n\r\r\n\r\n"),
            lengths: [8, 5]
        ),
        FramingStreamCase(
            name: "fixed with a short tail",
            spec: .fixed(size: 3),
            bytes: Array(0..<10),
            lengths: [3, 3, 3, 1],
            lastIsIncomplete: true
        ),
        FramingStreamCase(
            name: "u8",
            spec: .lengthPrefixed(LengthPrefix(field: .u8)),
            bytes: [3, 0x61, 0x62, 0x63, 0, 1, 0x78],
            lengths: [4, 1, 2]
        ),
        FramingStreamCase(
            name: "u16be",
            spec: .lengthPrefixed(LengthPrefix(field: .u16be)),
            bytes: [0, 2, 9, 9, 0x01, 0x00] + Array(repeating: 7, count: 256),
            lengths: [4, 258]
        ),
        FramingStreamCase(
            name: "u16le",
            spec: .lengthPrefixed(LengthPrefix(field: .u16le)),
            bytes: [2, 0, 9, 9, 0x00, 0x01] + Array(repeating: 7, count: 256),
            lengths: [4, 258]
        ),
        FramingStreamCase(
            name: "u32be",
            spec: .lengthPrefixed(LengthPrefix(field: .u32be)),
            bytes: [0, 0, 0, 3, 1, 2, 3, 0, 0, 0, 0],
            lengths: [7, 4]
        ),
        FramingStreamCase(
            name: "u32le",
            spec: .lengthPrefixed(LengthPrefix(field: .u32le)),
            bytes: [3, 0, 0, 0, 1, 2, 3, 1, 0, 0, 0, 9],
            lengths: [7, 5]
        ),
        FramingStreamCase(
            name: "i32be",
            spec: .lengthPrefixed(LengthPrefix(field: .i32be)),
            bytes: [0, 0, 0, 2, 1, 2, 0, 0, 0, 1, 5],
            lengths: [6, 5]
        ),
        // struct.pack('<i', 5) + b'hello' + struct.pack('<i', 2) + b'ok'
        FramingStreamCase(
            name: "i32le from struct.pack('<i')",
            spec: .lengthPrefixed(LengthPrefix(field: .i32le)),
            bytes: [0x05, 0x00, 0x00, 0x00] + ascii("hello") + [0x02, 0x00, 0x00, 0x00] + ascii("ok"),
            lengths: [9, 6]
        ),
        FramingStreamCase(
            name: "u64be",
            spec: .lengthPrefixed(LengthPrefix(field: .u64be)),
            bytes: bigEndian(3, size: 8) + [1, 2, 3] + bigEndian(0, size: 8),
            lengths: [11, 8]
        ),
        FramingStreamCase(
            name: "offset 2",
            spec: .lengthPrefixed(LengthPrefix(field: .u16be, offset: 2)),
            bytes: [0xAA, 0xBB, 0, 2, 0x78, 0x79, 0xCC, 0xDD, 0, 0],
            lengths: [6, 4]
        ),
        FramingStreamCase(
            name: "adjust +2",
            spec: .lengthPrefixed(LengthPrefix(field: .u16be, adjustment: 2)),
            bytes: [0, 1, 1, 2, 3, 0, 0, 1, 2],
            lengths: [5, 4]
        ),
        FramingStreamCase(
            name: "adjust -2",
            spec: .lengthPrefixed(LengthPrefix(field: .u16be, adjustment: -2)),
            bytes: [0, 5, 1, 2, 3, 0, 2],
            lengths: [5, 2]
        ),
        FramingStreamCase(
            name: "incl",
            spec: .lengthPrefixed(LengthPrefix(field: .u16be, includesHeader: true)),
            bytes: [0, 5, 1, 2, 3, 0, 2],
            lengths: [5, 2]
        ),
        FramingStreamCase(
            name: "offset 1, adjust -1, incl",
            spec: .lengthPrefixed(LengthPrefix(field: .u16le, offset: 1, adjustment: -1, includesHeader: true)),
            bytes: [0x10, 6, 0, 1, 2, 0x11, 4, 0],
            lengths: [5, 3]
        ),
        FramingStreamCase(
            name: "incomplete body at the end",
            spec: .pythonStruct,
            bytes: [0x02, 0, 0, 0, 1, 2, 0x09, 0, 0, 0, 1, 2, 3],
            lengths: [6, 7],
            lastIsIncomplete: true
        ),
        FramingStreamCase(
            name: "two messages",
            spec: .dnsTCP,
            bytes: [0, 12, 0xAB, 0xCD, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]
                + [0, 13, 0xAB, 0xCE, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xFF],
            lengths: [14, 15]
        ),
        FramingStreamCase(
            name: "seed protocol",
            spec: .jsonHeader,
            bytes: JSONHeaderDecoderTests.seedStream,
            lengths: JSONHeaderDecoderTests.seedLengths
        ),
        FramingStreamCase(
            name: "pipelined, inline, nested, null",
            spec: .resp,
            bytes: RESPDecoderTests.stream,
            lengths: RESPDecoderTests.lengths
        ),
        FramingStreamCase(
            name: "requests and responses",
            spec: .http1,
            bytes: HTTP1DecoderTests.stream,
            lengths: HTTP1DecoderTests.lengths
        ),
        FramingStreamCase(
            name: "response until close",
            spec: .http1,
            bytes: ascii("HTTP/1.0 200 OK\r\nServer: x\r\n\r\nbody until close"),
            lengths: [46]
        ),
    ]
}
