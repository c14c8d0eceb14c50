import SeamTestSupport
import Testing

@testable import SeamCore

/// smoltcp's four tests on real bytes: tcpdump--dns_tcp.pcap frame 2 (IPv4 with Ethernet padding).
@Suite struct IPv4Tests {
    // 209.87.249.18 → 192.168.1.11, TTL 128, id 0x002e, TCP SYN|ACK with MSS, total length 44; the frame
    // carries 2 bytes of Ethernet padding after it.
    static let frame = hexBytes(
        """
        001122334455 001122334466 0800
        4500002c002e00008006ae80d157f912c0a8010b 003583f379d2491323fec80d6012faf0dded0000020405b4 0000
        """)
    static var packet: [UInt8] { Array(frame[14...]) }

    @Test func deconstruct() throws {
        let view = try IPv4PacketView(checking: Self.packet[...])
        #expect(view.headerLength == 20)
        #expect(view.totalLength == 44)
        #expect(view.identification == 0x002e)
        #expect(!view.dontFragment && !view.moreFragments && !view.isFragment)
        #expect(view.timeToLive == 128)
        #expect(view.protocolNumber == 6)
        #expect(view.checksum == 0xae80)
        #expect(view.isChecksumValid)
        #expect(view.source == IPAddress("209.87.249.18"))
        #expect(view.destination == IPAddress("192.168.1.11"))
        #expect(view.payload.count == 24)  // padding trimmed by the total length
        #expect(view.payloadLength == 24)
        #expect(!view.isTruncated)
    }

    @Test func construct() throws {
        var out: [UInt8] = []
        IPv4Header(
            source: IPAddress("209.87.249.18")!, destination: IPAddress("192.168.1.11")!, protocolNumber: 6,
            payloadLength: 24, timeToLive: 128, identification: 0x002e
        ).emit(into: &out)
        #expect(out == Array(Self.packet[0..<20]))  // checksum 0xae80 computed
        var withOptions: [UInt8] = []
        let header = IPv4Header(
            source: IPAddress("10.0.0.1")!, destination: IPAddress("10.0.0.2")!, protocolNumber: 17, payloadLength: 0,
            options: [0x94, 0x04, 0x00, 0x00])  // router alert
        header.emit(into: &withOptions)
        #expect(withOptions.count == 24)
        #expect(withOptions[0] == 0x46)
        let parsed = try IPv4Header(parsing: withOptions[...])
        #expect(parsed.options == [0x94, 0x04, 0x00, 0x00])
        #expect(try IPv4PacketView(checking: withOptions[...]).isChecksumValid)
    }

    @Test func truncated() {
        for length in 0..<Self.packet.count {
            let prefix = Self.packet[0..<length]
            if length < 20 {
                #expect(throws: DecodeProblem.self) { try IPv4PacketView(checking: prefix) }
            } else {
                let view = try? IPv4PacketView(checking: prefix)
                #expect(view?.isTruncated == (length < 44))
                #expect(view?.payload.count == min(length - 20, 24))  // never the padding
                #expect(view?.payloadLength == 24)
            }
        }
    }

    @Test func impossibleLength() {
        var bytes = Self.packet
        bytes[0] = 0x44  // IHL 4
        #expect(throws: DecodeProblem.self) { try IPv4PacketView(checking: bytes[...]) }
        bytes[0] = 0x4f  // IHL 15 = 60 bytes, only 44 captured
        #expect(throws: DecodeProblem.self) { try IPv4PacketView(checking: bytes[...]) }
        bytes[0] = 0x45
        bytes[2] = 0
        bytes[3] = 19  // total length 19 < header
        #expect(throws: DecodeProblem.self) { try IPv4PacketView(checking: bytes[...]) }
        bytes[0] = 0x65  // version 6 in an IPv4 view
        #expect(throws: DecodeProblem.self) { try IPv4PacketView(checking: bytes[...]) }
    }

    @Test func decoderTrimsEthernetPaddingAndHandlesOptions() throws {
        let packet = try #require(decodeFrame(Self.frame, link: .ethernet).packet)
        #expect(packet.payload.isEmpty)
        #expect(packet.payloadLength == 0)
        #expect(packet.tcp?.options.maximumSegmentSize == 1460)
        // A header with options (IHL 6) before TCP.
        var ip: [UInt8] = []
        let segment = PacketBuilder.tcpSegment(
            from: Endpoint("10.0.0.1:1")!, to: Endpoint("10.0.0.2:2")!, seq: 7, payload: [1, 2, 3])
        IPv4Header(
            source: IPAddress("10.0.0.1")!, destination: IPAddress("10.0.0.2")!, protocolNumber: 6,
            payloadLength: segment.count, options: [1, 1, 1, 0]
        ).emit(into: &ip)
        let decoded = try #require(decodeFrame(ip + segment, link: .raw).packet)
        #expect(decoded.tcp?.sequenceNumber == 7)
        #expect(Array(decoded.payload) == [1, 2, 3])
    }
}
