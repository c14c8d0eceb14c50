import Testing

@testable import SeamCore

@Suite struct JSONHeaderDecoderTests {
    static let firstHeader = ascii(
        #"{"file_name": "a.txt", "md5": "0cc175b9c0f1b6a831c399e269772661", "total_size": 12}"#
    )
    static let secondHeader = ascii(#"{"nested": {"total_size": 99}, "note": "\"total_size\": 7", "file_size": 3}"#)
    /// Two messages as the seed's client sends them: struct.pack('i', len(header)), header, body.
    static let seedStream: [UInt8] =
        packInt32LE(Int32(firstHeader.count)) + firstHeader + ascii("hello world\n")
        + packInt32LE(Int32(secondHeader.count)) + secondHeader + ascii("abc")
    static let seedLengths = [4 + firstHeader.count + 12, 4 + secondHeader.count + 3]

    @Test func framesTheSeedProtocolWithSummaries() throws {
        let messages = try frame(.jsonHeader, Self.seedStream)
        #expect(messages.map(\.range) == ranges(Self.seedLengths))
        #expect(messages.first?.summary == #"{"file_name": "a.txt", "md5": "0…"#)
    }

    @Test func packedLengthIsLittleEndian() {
        // struct.pack('<i', 84) == b'T\x00\x00\x00'; struct.pack('<i', 300) == b',\x01\x00\x00'
        #expect(packInt32LE(84) == [0x54, 0x00, 0x00, 0x00])
        #expect(packInt32LE(300) == [0x2C, 0x01, 0x00, 0x00])
        #expect(packInt32LE(-1) == [0xFF, 0xFF, 0xFF, 0xFF])
    }

    @Test func headerWithoutTheSizeIsAnErrorNamingTheKey() {
        let header = ascii(#"{"file_name": "total_size"}"#)
        let stream = packInt32LE(Int32(header.count)) + header
        #expect(throws: FramingError(offset: 4, reason: #"JSON header has no "total_size" (or "file_size") member"#)) {
            try frame(.jsonHeader, stream)
        }
    }

    @Test func nonIntegerSizeAndNonObjectHeaderAreErrors() {
        for header in [#"{"total_size": 1.5}"#, #"{"total_size": "12"}"#, #"[1, 2]"#, #"{"a" 1}"#] {
            let stream = packInt32LE(Int32(header.utf8.count)) + ascii(header)
            #expect(throws: FramingError.self, "\(header)") { try frame(.jsonHeader, stream) }
        }
    }

    @Test func negativeOrHugeHeaderLengthIsAnError() {
        #expect(throws: FramingError.self) { try frame(.jsonHeader, packInt32LE(-3) + [1, 2, 3]) }
        #expect(throws: FramingError.self) { try frame(.jsonHeader, packInt32LE(1 << 20)) }
    }

    @Test func integerFieldLookupSkipsNestedValuesAndStrings() {
        let text = ascii(#" { "a": [1, {"total_size": 5}], "b\"total_size": "x", "total_size" : -42 } "#)
        #expect(JSONIntegerField.lookup("total_size", in: text) == .found(-42))
        #expect(JSONIntegerField.lookup("missing", in: text) == .missing)
        #expect(JSONIntegerField.lookup("a", in: text) != .missing)
        #expect(JSONIntegerField.lookup("x", in: ascii("{}")) == .missing)
    }
}
