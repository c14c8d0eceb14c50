import SeamTestSupport
import Testing

@testable import SeamCore

/// GRE and MPLS on real bytes (suricata--gre-sample.pcap frame 11, zeek--mixed-vlan-mpls.pcap frame 1):
/// smoltcp's four tests for each view, and the decoder going through the tunnel to the inner TCP segment,
/// whose addresses Wireshark's streams are keyed by.
@Suite struct TunnelTests {
    /// From the outer IPv4 header: 172.27.1.66 → 66.59.109.137, GRE (no options, IPv4), then
    /// 66.59.111.190:40264 → 172.28.2.3:22, a SYN.
    static let gre = hexBytes(
        """
        4500005400004000ff2f1e59ac1b0142423b6d89000008004500003c55d64000400684cd423b6fbeac1c02039d480016307f70e7
        00000000a0c21670662f00000204059c0402080a06b125310000000001030300
        """)
    /// The whole Ethernet frame: one MPLS label (29, TC 6, bottom of stack, TTL 255), then
    /// 10.1.2.1:11001 → 10.34.0.1:23, a SYN.
    static let mpls = hexBytes(
        """
        003096e6fc3900309605283888470001ddff45c0002c00000000ff06a4e70a0102010a2200012af9001798320ffb000000006002
        1020a240000002040218
        """)

    @Test func deconstruct() throws {
        let outer = try IPv4PacketView(checking: Self.gre[...])
        #expect(outer.protocolNumber == GREPacketView.protocolNumber)
        let gre = try GREPacketView(checking: outer.payload)
        #expect(gre.headerLength == 4 && gre.protocolType == Wire.EtherType.ipv4)
        #expect(gre.key == nil && gre.sequenceNumber == nil && !gre.hasChecksum)
        let inner = try IPv4PacketView(checking: gre.payload)
        #expect(inner.source == IPAddress("66.59.111.190") && inner.destination == IPAddress("172.28.2.3"))

        let frame = try EthernetFrameView(checking: Self.mpls[...])
        #expect(frame.etherType == MPLSLabelStackView.unicastEtherType)
        let stack = try MPLSLabelStackView(checking: frame.payload)
        #expect(stack.depth == 1 && stack.label(at: 0) == 29 && stack.label(at: 1) == nil)
        #expect(stack.timeToLive == 255 && stack.payloadIPVersion == 4)
        #expect(try IPv4PacketView(checking: stack.payload).destination == IPAddress("10.34.0.1"))
    }

    @Test func construct() throws {
        var gre: [UInt8] = []
        GREHeader(protocolType: Wire.EtherType.ipv4).emit(into: &gre)
        #expect(gre == Array(Self.gre[20..<24]))
        var keyed: [UInt8] = []
        GREHeader(protocolType: Wire.EtherType.ipv6, key: 7, sequenceNumber: 9).emit(into: &keyed)
        let view = try GREPacketView(checking: keyed[...])
        #expect(view.headerLength == 12 && view.key == 7 && view.sequenceNumber == 9)
        #expect(GREHeader(view) == GREHeader(protocolType: Wire.EtherType.ipv6, key: 7, sequenceNumber: 9))

        var label: [UInt8] = []
        MPLSLabel(label: 29, trafficClass: 6, timeToLive: 255).emit(into: &label, bottomOfStack: true)
        #expect(label == Array(Self.mpls[14..<18]))
        var two: [UInt8] = []
        MPLSLabel(label: 16).emit(into: &two, bottomOfStack: false)
        MPLSLabel(label: 0xfffff).emit(into: &two, bottomOfStack: true)
        let stack = try MPLSLabelStackView(checking: two[...])
        #expect(stack.depth == 2 && stack.label(at: 0) == 16 && stack.label(at: 1) == 0xfffff)
        #expect(stack.payloadIPVersion == nil)  // nothing after the stack
    }

    @Test func truncated() {
        let gre = Self.gre[20...]
        for length in 0..<gre.count {
            let view = try? GREPacketView(checking: gre.prefix(length))
            #expect((view != nil) == (length >= 4))
        }
        let stack = Self.mpls[14...]
        for length in 0..<stack.count {
            let view = try? MPLSLabelStackView(checking: stack.prefix(length))
            #expect((view != nil) == (length >= 4))
        }
    }

    @Test func impossibleLength() {
        var gre = Array(Self.gre[20..<24])
        gre[0] = 0xb0  // checksum, key and sequence announced: 16 bytes, 4 captured
        #expect(throws: DecodeProblem.self) { try GREPacketView(checking: gre[...]) }
        gre[0] = 0x40  // RFC 1701 source routing
        #expect(throws: DecodeProblem.self) { try GREPacketView(checking: gre[...]) }
        gre[0] = 0
        gre[1] = 1  // version 1 (PPTP's enhanced GRE)
        #expect(throws: DecodeProblem.self) { try GREPacketView(checking: gre[...]) }
        // 17 labels, none the bottom of the stack.
        let endless = [UInt8]((0..<17).flatMap { _ in [0x00, 0x01, 0x00, 0x40] as [UInt8] })
        #expect(throws: DecodeProblem.self) { try MPLSLabelStackView(checking: endless[...]) }
    }

    @Test func decoderFollowsTunnelsToTheInnerSegment() throws {
        let greOutcome = decodeFrame(Self.gre, link: .raw)
        let viaGRE = try #require(greOutcome.packet)
        #expect(viaGRE.source == IPAddress("66.59.111.190") && viaGRE.tcp?.destinationPort == 22)
        let viaMPLS = try #require(decodeFrame(Self.mpls, link: .ethernet).packet)
        #expect(viaMPLS.source == IPAddress("10.1.2.1") && viaMPLS.tcp?.destinationPort == 23)

        // IP in IP and IPv6 in IPv4, built: the inner segment again.
        let segment = PacketBuilder.tcpSegment(
            from: Endpoint("[fd00::1]:5000")!, to: Endpoint("[fd00::2]:80")!, seq: 1, payload: [7])
        let inner6 = PacketBuilder.ipPacket(
            from: IPAddress("fd00::1")!, to: IPAddress("fd00::2")!, protocolNumber: Wire.IPProtocol.tcp,
            transport: segment)
        let sixInFour = PacketBuilder.ipPacket(
            from: IPAddress("192.0.2.1")!, to: IPAddress("192.0.2.2")!, protocolNumber: Wire.IPProtocol.ipv6InIP,
            transport: inner6)
        let six = try #require(decodeFrame(sixInFour, link: .raw).packet)
        #expect(six.ipVersion == 6 && six.tcp?.destinationPort == 80 && Array(six.payload) == [7])
        var nested = Array(Self.gre[24...])  // the inner IPv4 packet, in IP nine times over
        for _ in 0..<9 {
            nested = PacketBuilder.ipPacket(
                from: IPAddress("192.0.2.1")!, to: IPAddress("192.0.2.2")!, protocolNumber: Wire.IPProtocol.ipInIP,
                transport: nested)
        }
        #expect(decodeFrame(nested, link: .raw).problem != nil)  // more than eight tunnels
    }
}
