/// The framing targets: every decoder fed every chunking and gap, the detector over the same stream, and the
/// spec parser.
enum FuzzFraming {
    /// The specs `framing` picks from by its first byte (the first 18 in the order older regression inputs use).
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
        .tls, .http2, .grpc, .websocket, .mqtt, .pgsql, .mysql, .kafka, .memcache, .protobuf,
        .lengthPrefixed(LengthPrefix(field: .u24le, after: 1)), .lengthPrefixed(LengthPrefix(field: .u24be, offset: 1)),
        .lengthPrefixed(LengthPrefix(field: .u64le, includesHeader: true)),
        .lengthPrefixed(LengthPrefix(field: .varint)),
        .lengthPrefixed(LengthPrefix(field: .mqttvar, offset: 1)), .lengthPrefixed(LengthPrefix(field: .dec)),
        .lineLength(LineLength()), .lineLength(LineLength(word: 3, adjustment: 2, isOptional: true)),
        .lineLength(LineLength(word: -1, adjustment: -1)),
        .firstThen(first: .lengthPrefixed(LengthPrefix(field: .u32be, includesHeader: true)), then: .pgsql),
        .firstThen(first: .line, then: .firstThen(first: .fixed(size: 3), then: .mqtt)), .sends, .noMessages,
    ]

    /// Byte 0 picks the spec (and, past the spec count, a direction), byte 1 seeds the chunk sizes and gaps; the
    /// rest is the stream. Every fourth input also goes through a `FramingDetector`.
    static func frame(_ bytes: [UInt8]) {
        guard bytes.count >= 2 else { return }
        let spec = specs[Int(bytes[0]) % specs.count]
        let direction: Direction? = [nil, .clientToServer, .serverToClient][Int(bytes[0]) / specs.count % 3]
        var seed = UInt64(bytes[1]) &+ 1
        func random(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(max(bound, 1)))
        }
        let stream = bytes[2...]
        var framer = MessageFramer(spec: spec, direction: direction)
        var detector = bytes[1] & 0x03 == 0 ? FramingDetector(direction: direction, given: spec) : nil
        var offset: UInt64 = 0
        var index = stream.startIndex
        var messageEnd: UInt64 = 0
        var failed = false
        while index < stream.endIndex {
            let count = min(random(bytes[1] < 8 ? 2 : 600), stream.endIndex - index)
            if bytes[1] & 0x80 != 0, random(16) == 0 {
                let length = UInt64(random(40) + 1)
                for message in framer.gap(length: length) { check(message, after: &messageEnd) }
                detector?.gap(length: length)
                offset += length
            }
            let chunk = stream[index..<(index + count)]
            index += count
            if !failed {
                if let messages = try? framer.feed(chunk, at: offset) {
                    for message in messages { check(message, after: &messageEnd) }
                } else {
                    failed = true
                }
            }
            detector?.feed(chunk, at: offset)
            offset += UInt64(count)
            if failed && detector == nil { return }
        }
        if !failed, let messages = try? framer.finish() {
            for message in messages { check(message, after: &messageEnd) }
        }
        if var detector { check(detector.finish(), bytes: UInt64(stream.count)) }
    }

    /// Messages come in order on the byte axis and never overlap.
    static func check(_ message: FramedMessage, after end: inout UInt64) {
        precondition(message.range.lowerBound >= end, "message \(message.range) overlaps the previous one")
        end = message.range.upperBound
    }

    /// A detection ranks fits before misfits, and no fit parsed more bytes than the stream has.
    static func check(_ detection: FramingDetection, bytes: UInt64) {
        precondition(detection.bytes == bytes, "detection saw \(detection.bytes) of \(bytes) bytes")
        for fit in detection.fits + detection.misfits {
            precondition(fit.parsedBytes <= bytes + 64, "\(fit.spec) parsed \(fit.parsedBytes) of \(bytes) bytes")
            precondition(
                fit.isFit == (fit.misfit == nil),
                "\(fit.spec): status \(fit.status), misfit \(String(describing: fit.misfit))"
            )
        }
        precondition(
            detection.given != nil || detection.givenSpec?.messageSource != .bytes,
            "the given framing was not judged"
        )
        _ = detection.givenMisfitNote
        _ = detection.isClear
    }

    /// The input as a spec: parsing never traps, and a parsed spec survives `description` unchanged; so do the
    /// per-direction options and the hints.
    static func parseSpec(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        if let spec = try? FramingSpec(parsing: text) {
            let again = try? FramingSpec(parsing: spec.description)
            precondition(
                again == spec,
                "\"\(text)\" parsed as \(spec), which reads back as \(String(describing: again))"
            )
            _ = spec.fixHint
            _ = spec.pairing
        }
        let parts = text.split(separator: " ", maxSplits: 2).map(String.init)
        if let request = try? FramingRequest(
            framing: parts.first,
            clientToServer: parts.count > 1 ? parts[1] : nil,
            serverToClient: parts.count > 2 ? parts[2] : nil
        ) {
            _ = request.description
            _ = request.fixed?.description
        }
        _ = FramingSpec.guess(firstBytes: bytes[...])
        _ = FramingSpec.guess(
            firstBytes: bytes[...],
            direction: bytes.first.map { $0 & 1 == 0 ? .clientToServer : .serverToClient }
        )
        _ = try? SessionCall(parsingComment: text, timestamp: Timestamp(seconds: 0, nanoseconds: 0))
    }
}
