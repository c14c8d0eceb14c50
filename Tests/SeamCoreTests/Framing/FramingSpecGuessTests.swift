import Testing

@testable import SeamCore

@Suite struct FramingSpecGuessTests {
    @Test func textProtocolsAreRecognised() {
        #expect(FramingSpec.guess(firstBytes: ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n")[...]).first == .http1)
        #expect(FramingSpec.guess(firstBytes: ascii("HTTP/1.1 200 OK\r\n")[...]).first == .http1)
        #expect(FramingSpec.guess(firstBytes: ascii("*1\r\n$4\r\nPING\r\n")[...]).first == .resp)
        #expect(FramingSpec.guess(firstBytes: ascii("+OK\r\n")[...]).first == .resp)
        #expect(FramingSpec.guess(firstBytes: ascii("hello\nworld\n")[...]) == [.line])
        #expect(FramingSpec.guess(firstBytes: ascii("hello\r\nworld")[...]) == [.crlf])
    }

    @Test func lengthPrefixesAreRecognisedAsHints() {
        let seed = JSONHeaderDecoderTests.seedStream[...]
        #expect(FramingSpec.guess(firstBytes: seed).first == .jsonHeader)
        let packed = packInt32LE(5) + ascii("hello") + packInt32LE(2) + ascii("ok")
        #expect(FramingSpec.guess(firstBytes: packed[...]).first == .pythonStruct)
        let bigEndian: [UInt8] = [0, 0, 0, 3, 1, 2, 3, 0, 0, 0, 1, 9]
        #expect(FramingSpec.guess(firstBytes: bigEndian[...]).contains(.lengthPrefixed(LengthPrefix(field: .u32be))))
        let dns: [UInt8] = [0, 29, 0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0] + [UInt8](repeating: 1, count: 17)
        #expect(FramingSpec.guess(firstBytes: dns[...]).contains(.dnsTCP))
    }

    @Test func noiseGivesNoGuess() {
        #expect(FramingSpec.guess(firstBytes: []).isEmpty)
        #expect(FramingSpec.guess(firstBytes: [0xFF, 0xFE, 0xFD, 0xFC, 0x00, 0x01][...]).isEmpty)
    }
}
