/// The framing targets: every decoder fed every chunking and gap, and the spec parser.
enum FuzzFraming {
    static let specs: [FramingSpec] = [
        .line, .crlf, .delimiter([0x0D, 0x0A, 0x0D, 0x0A]), .delimiter([0]), .fixed(size: 1), .fixed(size: 7),
        .lengthPrefixed(LengthPrefix(field: .u8)),
        .lengthPrefixed(LengthPrefix(field: .u16be, offset: 2, adjustment: -3)),
        .lengthPrefixed(LengthPrefix(field: .u16le, includesHeader: true)),
        .lengthPrefixed(LengthPrefix(field: .u32be, adjustment: 5)),
        .lengthPrefixed(LengthPrefix(field: .u32le, offset: 1, includesHeader: true)),
        .lengthPrefixed(LengthPrefix(field: .i32be, adjustment: -10)),
        .lengthPrefixed(LengthPrefix(field: .u64be, offset: 3)),
        .pythonStruct, .jsonHeader, .resp, .http1, .dnsTCP,
    ]

    /// Byte 0 picks the spec, byte 1 seeds the chunk sizes and gaps; the rest is the stream.
    static func frame(_ bytes: [UInt8]) {
        guard bytes.count >= 2 else { return }
        let spec = specs[Int(bytes[0]) % specs.count]
        var seed = UInt64(bytes[1]) &+ 1
        func random(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(max(bound, 1)))
        }
        let stream = bytes[2...]
        var framer = MessageFramer(spec: spec)
        var offset: UInt64 = 0
        var index = stream.startIndex
        var messageEnd: UInt64 = 0
        while index < stream.endIndex {
            let count = min(random(bytes[1] < 8 ? 2 : 600), stream.endIndex - index)
            if bytes[1] & 0x80 != 0, random(16) == 0 {
                let length = UInt64(random(40) + 1)
                for message in framer.gap(length: length) { check(message, after: &messageEnd) }
                offset += length
            }
            let chunk = stream[index..<(index + count)]
            index += count
            guard let messages = try? framer.feed(chunk, at: offset) else { return }
            for message in messages { check(message, after: &messageEnd) }
            offset += UInt64(count)
        }
        if let messages = try? framer.finish() {
            for message in messages { check(message, after: &messageEnd) }
        }
    }

    /// Messages come in order on the byte axis and never overlap.
    static func check(_ message: FramedMessage, after end: inout UInt64) {
        precondition(message.range.lowerBound >= end, "message \(message.range) overlaps the previous one")
        end = message.range.upperBound
    }

    /// The input as a spec: parsing never traps, and a parsed spec survives `description` unchanged.
    static func parseSpec(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        if let spec = try? FramingSpec(parsing: text) {
            let again = try? FramingSpec(parsing: spec.description)
            precondition(
                again == spec, "\"\(text)\" parsed as \(spec), which reads back as \(String(describing: again))")
        }
        _ = FramingSpec.guess(firstBytes: bytes[...])
        _ = try? SessionCall(parsingComment: text, timestamp: Timestamp(seconds: 0, nanoseconds: 0))
    }
}
