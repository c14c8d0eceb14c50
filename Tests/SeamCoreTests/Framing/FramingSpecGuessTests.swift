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

    /// The client's query of tcpdump's `tests/dns_tcp.pcap` (corpus `tcpdump--dns_tcp.pcap`), as tshark follows it.
    static let realDNSQuery: [UInt8] = [
        0x00, 0x38, 0x43, 0x19, 0x01, 0x20, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x77, 0x77, 0x77,
        0x07, 0x74, 0x63, 0x70, 0x64, 0x75, 0x6D, 0x70, 0x03, 0x6F, 0x72, 0x67, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00,
        0x00, 0x29, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0C, 0x00, 0x0A, 0x00, 0x08, 0x8F, 0x06, 0xBE, 0x7D,
        0x69, 0x14, 0x42, 0xF0,
    ]

    @Test func realDNSOverTCPIsGuessedFirstAndFramed() throws {
        #expect(FramingSpec.guess(firstBytes: Self.realDNSQuery[...]) == [.dnsTCP])
        let messages = try frame(.dnsTCP, Self.realDNSQuery)
        #expect(messages.map(\.range) == [0..<58])
        #expect(messages.first?.exchange == .request(key: 0x4319))
        #expect(messages.first?.summary == "query 0x4319")
    }

    @Test func noiseGivesNoGuess() {
        #expect(FramingSpec.guess(firstBytes: []).isEmpty)
        #expect(FramingSpec.guess(firstBytes: [0xFF, 0xFE, 0xFD, 0xFC, 0x00, 0x01][...]).isEmpty)
    }
}
