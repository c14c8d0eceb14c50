import Testing

@testable import SeamCore

@Suite struct LengthFieldDecoderTests {
    @Test func fiftyStructPackedMessagesAreCountedExactly() throws {
        var stream: [UInt8] = []
        var lengths: [Int] = []
        for index in 0..<50 {
            let body = [UInt8](repeating: UInt8(index), count: index * 7 % 23)
            stream += packInt32LE(Int32(body.count)) + body
            lengths.append(4 + body.count)
        }
        for cuts in [
            [stream.count], Array(0...stream.count),
            Chunking.random(seed: 50).cuts(count: stream.count, messageEnds: []),
        ] {
            let messages = try frame(.pythonStruct, stream, cuts: cuts)
            #expect(messages.count == 50)
            #expect(messages.map(\.range) == ranges(lengths))
            #expect(messages.allSatisfy { $0.isComplete })
        }
    }

    @Test func lengthsBelowTheHeaderOrNegativeAfterAdjustmentAreErrors() {
        let incl = FramingSpec.lengthPrefixed(LengthPrefix(field: .u16be, includesHeader: true))
        #expect(throws: FramingError(offset: 0, reason: "length 1 (adjusted 1) is smaller than the 2-byte header")) {
            try frame(incl, [0, 1, 0])
        }
        let minus = FramingSpec.lengthPrefixed(LengthPrefix(field: .u8, adjustment: -3))
        #expect(throws: FramingError(offset: 2, reason: "length 2 adjusted by -3 is negative")) {
            try frame(minus, [4, 1, 2])
        }
        #expect(throws: FramingError.self) { try frame(.lengthPrefixed(LengthPrefix(field: .i32be)), [0x80, 0, 0, 0]) }
        #expect(throws: FramingError.self) {
            try frame(.lengthPrefixed(LengthPrefix(field: .u64be)), [0xFF, 0, 0, 0, 0, 0, 0, 0])
        }
    }

    @Test func hugeU64LengthIsFramedWithoutBuffering() throws {
        var framer = MessageFramer(spec: .lengthPrefixed(LengthPrefix(field: .u64be)))
        let header: [UInt8] = [0, 0, 0, 1, 0, 0, 0, 0]  // 4 GiB body
        #expect(try framer.feed(header[...] + [UInt8](repeating: 0, count: 1000)[...], at: 0).isEmpty)
        #expect(framer.bufferedByteCount == 0)
        let messages = try framer.finish()
        #expect(messages == [FramedMessage(range: 0..<1008, isComplete: false)])
    }
}
