import SeamTestSupport
import Testing

@testable import SeamCore

/// Super-packets as Linux writes them for BIG TCP, on real bytes: an IPv4 packet with total length 0
/// (Tests/Fixtures/files/bigtcp-ipv4-snaplen.pcap, a 156 436-byte packet captured at 128 bytes) and an IPv6
/// jumbogram (tcpdump--bigtcp-ipv6-hbh.pcap: payload length 0, hop-by-hop Jumbo Payload 80 040). smoltcp's
/// four tests for each, and the decoder's verdict on both.
@Suite struct SuperPacketTests {
    /// The IP header, TCP header (timestamps) and the first 62 payload bytes; on the wire 156 436 bytes.
    static let ipv4 = hexBytes(
        """
        45000000a3b34000400699427f0000017f0000018abc25532936763d58d681df8018003f610b00000101080af18579b377bf46aa
        8f969da4abb2b9c0c7ced5dce3eaf1f8ff060d141b222930373e454c535a61686f767d848b9299a0a7aeb5bcc3cad1d8dfe6edf4fb
        020910171e252c333a
        """)
    static let ipv4WireLength = 156_436
    /// Fixed header, hop-by-hop with the Jumbo Payload option, TCP header (timestamps), 8 payload bytes.
    static let ipv6 = hexBytes(
        """
        600a31ee00000040260413804091ce00000000000000000d260413804091ce00000000000000000b0600c204000138a8
        a37bab892355b91295c7c02980180850c8eb00000101080a46bdbe60fc8cfa386e65747065726600
        """)
    static let ipv6WireLength = 80_080

    @Test func deconstruct() throws {
        let v4 = try IPv4PacketView(checking: Self.ipv4[...], wireLength: Self.ipv4WireLength)
        #expect(v4.totalLengthField == 0 && v4.isTotalLengthFromFrame)
        #expect(v4.totalLength == Self.ipv4WireLength && v4.payloadLength == Self.ipv4WireLength - 20)
        #expect(v4.isTruncated && v4.totalLengthExceedsFrame == nil)
        #expect(v4.source == IPAddress("127.0.0.1") && v4.dontFragment && v4.identification == 0xa3b3)
        let tcp = try TCPSegmentView(checking: v4.payload, segmentLength: v4.payloadLength)
        #expect(tcp.payloadLength == 156_384 && tcp.sourcePort == 35516 && tcp.destinationPort == 9555)

        let v6 = try IPv6PacketView(checking: Self.ipv6[...], wireLength: Self.ipv6WireLength)
        #expect(v6.payloadLengthField == 0 && v6.isJumbogram && v6.claimedPayloadLength == 80_040)
        #expect(v6.payloadLength == 80_040 && v6.upperLayerOffset == 48 && v6.upperLayerProtocol == 6)
        #expect(v6.payloadLengthExceedsFrame == nil && v6.isTruncated)
        #expect(v6.source == IPAddress("2604:1380:4091:ce00::d"))
        let segment = try TCPSegmentView(checking: v6.payload, segmentLength: v6.upperLayerLength)
        #expect(segment.payloadLength == 80_000 && segment.sourcePort == 41851)
    }

    @Test func construct() {
        var out: [UInt8] = []
        IPv4Header(
            source: IPAddress("127.0.0.1")!, destination: IPAddress("127.0.0.1")!, protocolNumber: 6,
            payloadLength: Self.ipv4WireLength - 20, identification: 0xa3b3, dontFragment: true
        ).emit(into: &out)
        #expect(out == Array(Self.ipv4[0..<20]))  // total length 0, checksum over it
        let transport = Array(Self.ipv6[48...]) + [UInt8](repeating: 0, count: 80_032 - (Self.ipv6.count - 48))
        var jumbogram = PacketBuilder.ipPacket(
            from: IPAddress("2604:1380:4091:ce00::d")!, to: IPAddress("2604:1380:4091:ce00::b")!, protocolNumber: 6,
            transport: transport)
        jumbogram[1] = 0x0a  // the capture's flow label
        jumbogram[2] = 0x31
        jumbogram[3] = 0xee
        #expect(Array(jumbogram.prefix(Self.ipv6.count)) == Self.ipv6)
        #expect(jumbogram.count == 40 + 80_040)
    }

    @Test func truncated() throws {
        for length in 0..<Self.ipv4.count {
            let view = try? IPv4PacketView(checking: Self.ipv4[0..<length], wireLength: Self.ipv4WireLength)
            #expect((view != nil) == (length >= 20))
            if let view { #expect(view.totalLength == Self.ipv4WireLength && view.payload.count == length - 20) }
        }
        for length in 0..<Self.ipv6.count {
            let view = try? IPv6PacketView(checking: Self.ipv6[0..<length], wireLength: Self.ipv6WireLength)
            #expect((view != nil) == (length >= 48))  // the hop-by-hop header holds the length
            if let view { #expect(view.payloadLength == 80_040 && view.payload.count == length - 48) }
        }
    }

    @Test func impossibleLength() {
        var v4 = Self.ipv4
        v4[0] = 0x4f  // IHL 15: a 60-byte header in a frame of 40 bytes on the wire
        #expect(throws: DecodeProblem.self) { try IPv4PacketView(checking: v4[0..<40], wireLength: 40) }
        var v6 = Self.ipv6
        v6[42] = 0x01  // the option becomes PadN: payload length 0 with no Jumbo Payload option
        #expect(throws: DecodeProblem.self) { try IPv6PacketView(checking: v6[...], wireLength: Self.ipv6WireLength) }
        v6 = Self.ipv6
        v6.replaceSubrange(44..<48, with: [0, 0, 0, 4])  // jumbo length 4: the 8-byte hop-by-hop header does not fit
        #expect(throws: DecodeProblem.self) { try IPv6PacketView(checking: v6[...], wireLength: Self.ipv6WireLength) }
        v6 = Self.ipv6
        v6[6] = 6  // payload length 0, next header TCP, no hop-by-hop: refused like Wireshark's default
        let outcome = decodeFrame(PacketRecord(
            timestamp: Timestamp(nanoseconds: 0), linkType: .ipv6, originalLength: Self.ipv6WireLength, data: v6[...]))
        #expect(outcome.problem != nil)
    }

    /// Through the decoder, a snaplen-cut record of each: the length the headers claim, what was captured, and
    /// `isSuperPacket`; an ordinary packet is not one.
    @Test func decoderMarksSuperPackets() throws {
        let v4 = decodeFrame(PacketRecord(
            timestamp: Timestamp(nanoseconds: 0), linkType: .raw, originalLength: Self.ipv4WireLength,
            data: Self.ipv4[...]))
        let p4 = try #require(v4.packet)
        #expect(p4.isSuperPacket && p4.payloadLength == 156_384 && p4.payload.count == Self.ipv4.count - 52)
        #expect(p4.problem == nil)
        let v6 = decodeFrame(PacketRecord(
            timestamp: Timestamp(nanoseconds: 0), linkType: .ipv6, originalLength: Self.ipv6WireLength,
            data: Self.ipv6[...]))
        let p6 = try #require(v6.packet)
        #expect(p6.isSuperPacket && p6.payloadLength == 80_000 && p6.payload.count == 8)
        let plain = PacketBuilder.tcp(
            from: Endpoint("10.0.0.1:1")!, to: Endpoint("10.0.0.2:2")!, seq: 1, payload: [1, 2, 3], link: .raw)
        #expect(decodeFrame(plain, link: .raw).packet?.isSuperPacket == false)
    }
}
