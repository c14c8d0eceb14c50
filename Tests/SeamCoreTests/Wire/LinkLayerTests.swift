import SeamTestSupport
import Testing

@testable import SeamCore

/// Ethernet with 802.1Q/QinQ and PPPoE, Linux cooked v1/v2, BSD loopback in both byte orders, raw IP.
@Suite struct LinkLayerTests {
    // pcpp--one_http_stream_rst.pcap frame 1: two 802.1Q tags (VLAN 939, 744), PPPoE session 0xdde5, IPv4 TCP SYN.
    static let vlanPPPoE = hexBytes(
        """
        442b03cd52006cf049d4fea8 810003ab 810002e8 8864 1100dde500360021
        45000034362640008006ec400a034123b908d42e13cc00509cd2de460000000080022000e7910000020405a00103030801010402
        """)
    // pcpp--sll2.pcap frame 2: LINUX_SLL2, IPv4 TCP FIN|ACK, 2 bytes of padding.
    static let sll2 = hexBytes(
        """
        0800 0000 00000014 0001 00 06 f03f958f82630000
        45000028872d40002c06718c743f426c07f9977201bbdfccaaceb5e9a7ab9fbf5011003fcfd20000
        """)
    // gopacket--test_loopback.pcap frame 2: NULL, family 30 little-endian (macOS AF_INET6), ::1 → ::1.
    static let nullIPv6 = hexBytes(
        """
        1e000000 600188910020064000000000000000000000000000000001000000000000000000000000000000011f90e5af0a6566ef
        0897184a80102302002800000101080a05c08cfc05c08cfc
        """)

    @Test func ethernetDeconstructAndConstruct() throws {
        let view = try EthernetFrameView(checking: Self.vlanPPPoE[...])
        #expect(view.vlanTagCount == 2)
        #expect(view.vlanTag(at: 0)?.vlanID == 939)
        #expect(view.vlanTag(at: 1)?.vlanID == 744)
        #expect(view.vlanTag(at: 2) == nil)
        #expect(view.etherType == PPPoESessionView.etherType)
        #expect(view.destination.description == "44:2b:03:cd:52:00")
        let session = try PPPoESessionView(checking: view.payload)
        #expect(session.sessionID == 0xdde5)
        #expect(session.etherType == Wire.EtherType.ipv4)
        var out: [UInt8] = []
        EthernetHeader(view).emit(into: &out)
        #expect(out == Array(Self.vlanPPPoE[0..<22]))
        let packet = try #require(decodeFrame(Self.vlanPPPoE, link: .ethernet).packet)
        #expect(packet.source == IPAddress("10.3.65.35"))
        #expect(packet.tcp?.sourcePort == 5068)
        #expect(packet.tcp?.options.windowScale == 8)
    }

    @Test func ethernetTruncatedAndQinQ() throws {
        for length in 0..<22 {
            #expect(decodeFrame(Self.vlanPPPoE, link: .ethernet, snaplen: length).problem?.layer == .link)
        }
        let frame = PacketBuilder.udp(
            from: Endpoint("10.0.0.1:1")!, to: Endpoint("10.0.0.2:2")!, payload: [9], vlanTags: [100, 200, 300])
        let view = try EthernetFrameView(checking: frame[...])
        #expect(view.vlanTagCount == 3)
        #expect(view.vlanTag(at: 0)?.tagProtocol == Wire.EtherType.qinq)
        #expect(view.vlanTag(at: 2)?.tagProtocol == Wire.EtherType.vlan)
        #expect(frame.count == 60)  // padded to the minimum frame
        let packet = try #require(decodeFrame(frame, link: .ethernet).packet)
        #expect(Array(packet.payload) == [9])  // padding is not payload
        var legacy = frame
        legacy[12] = 0x91  // 0x9100 outer tag
        legacy[13] = 0x00
        #expect(decodeFrame(legacy, link: .ethernet).packet?.udp?.destinationPort == 2)
        let arp = [UInt8](repeating: 0xff, count: 12) + [0x08, 0x06] + [UInt8](repeating: 0, count: 28)
        guard case .notIP(let etherType) = decodeFrame(arp, link: .ethernet) else {
            Issue.record("ARP should be notIP")
            return
        }
        #expect(etherType == Wire.EtherType.arp)
    }

    @Test func impossibleLinkHeaders() throws {
        let header = Array(Self.vlanPPPoE[0..<12])
        let nineTags =
            header + Array([0x81, 0x00, 0x00, 0x01].repeated(9)) + [0x08, 0x00] + [UInt8](repeating: 0, count: 40)
        #expect(decodeFrame(nineTags, link: .ethernet).problem?.reason == "more than 8 VLAN tags")
        var pppoe = Self.vlanPPPoE
        pppoe[26] = 0
        pppoe[27] = 1  // PPPoE length 1: not even the PPP protocol field
        #expect(decodeFrame(pppoe, link: .ethernet).problem?.layer == .link)
        pppoe[27] = 0x36
        pppoe[29] = 0x23  // PPP protocol 0x0023: not IP
        guard case .notIP = decodeFrame(pppoe, link: .ethernet) else {
            Issue.record("PPP protocol 0x0023 should be notIP")
            return
        }
        let llc = header + [0x00, 0x26] + [UInt8](repeating: 0x42, count: 46)  // 802.3 length 38, LLC
        guard case .notIP(let etherType) = decodeFrame(llc, link: .ethernet) else {
            Issue.record("802.3 frames should be notIP")
            return
        }
        #expect(etherType == nil)
    }

    @Test func linuxCooked() throws {
        let view = try LinuxCookedView(checking: Self.sll2[...], version: 2)
        #expect(view.protocolType == Wire.EtherType.ipv4)
        #expect(view.interfaceIndex == 0x14)
        #expect(view.hardwareType == 1)
        #expect(view.packetType == 0)
        #expect(view.addressLength == 6)
        #expect(Array(view.address) == [0xf0, 0x3f, 0x95, 0x8f, 0x82, 0x63])
        var out: [UInt8] = []
        LinuxCookedHeader(view).emit(into: &out)
        #expect(out == Array(Self.sll2[0..<20]))
        let packet = try #require(decodeFrame(Self.sll2, link: .linuxSLL2).packet)
        #expect(packet.tcp?.flags == [.fin, .ack])
        #expect(packet.payload.isEmpty)  // the 2 padding bytes are not payload
        for length in 0..<20 {
            #expect(decodeFrame(Self.sll2, link: .linuxSLL2, snaplen: length).problem?.layer == .link)
        }
        // Version 1 round trip through the builder.
        let v1 = PacketBuilder.tcp(
            from: Endpoint("127.0.0.1:1")!, to: Endpoint("127.0.0.1:2")!, seq: 5, payload: [1], link: .linuxSLL)
        let cooked = try LinuxCookedView(checking: v1[...], version: 1)
        #expect(cooked.headerLength == 16 && cooked.protocolType == Wire.EtherType.ipv4)
        #expect(decodeFrame(v1, link: .linuxSLL).packet?.tcp?.sequenceNumber == 5)
        // A VLAN tag left in place after the cooked header (protocol 0x8100).
        var tagged = Array(v1[0..<14]) + [0x81, 0x00] + [0x00, 0x0a, 0x08, 0x00] + Array(v1[16...])
        #expect(decodeFrame(tagged, link: .linuxSLL).packet?.tcp?.sequenceNumber == 5)
        tagged.removeSubrange(18...)
        #expect(decodeFrame(tagged, link: .linuxSLL).problem?.layer == .link)
    }

    @Test func loopbackBothByteOrders() throws {
        let packet = try #require(decodeFrame(Self.nullIPv6, link: .null).packet)
        #expect(packet.ipVersion == 6 && packet.source == IPAddress("::1"))
        #expect(packet.tcp?.sourcePort == 8080)
        #expect(packet.tcp?.options.timestamp?.value == 96_505_084)
        var bigEndian = Self.nullIPv6
        bigEndian.replaceSubrange(0..<4, with: [0, 0, 0, 30])  // written by a big-endian host
        #expect(decodeFrame(bigEndian, link: .null).packet?.ipVersion == 6)
        for family: UInt8 in [10, 24, 28] {
            var other = Self.nullIPv6
            other[0] = family
            #expect(decodeFrame(other, link: .null).packet?.ipVersion == 6)
        }
        #expect(decodeFrame(bigEndian, link: .loop).packet?.ipVersion == 6)
        #expect(decodeFrame(Self.nullIPv6, link: .loop).packet == nil)  // LOOP is big-endian only
        let v4 = PacketBuilder.udp(
            from: Endpoint("127.0.0.1:1")!, to: Endpoint("127.0.0.1:2")!, payload: [], link: .null)
        #expect(Array(v4[0..<4]) == [2, 0, 0, 0])
        #expect(decodeFrame(v4, link: .null).packet?.ipVersion == 4)
        let loop = PacketBuilder.udp(
            from: Endpoint("127.0.0.1:1")!, to: Endpoint("127.0.0.1:2")!, payload: [], link: .loop)
        #expect(Array(loop[0..<4]) == [0, 0, 0, 2])
        #expect(decodeFrame(loop, link: .loop).packet?.ipVersion == 4)
        guard case .notIP = decodeFrame([7, 0, 0, 0, 0x45], link: .null) else {
            Issue.record("unknown family should be notIP")
            return
        }
    }

    @Test func rawLinkTypesAndUnsupported() {
        let v6 = PacketBuilder.udp(from: Endpoint("[::1]:1")!, to: Endpoint("[::1]:2")!, payload: [1], link: .raw)
        let v4 = PacketBuilder.udp(
            from: Endpoint("127.0.0.1:1")!, to: Endpoint("127.0.0.1:2")!, payload: [1], link: .raw)
        for link in [LinkType.raw, .rawBSD, .rawOpenBSD, .ipv4, .ipv6] {
            #expect(decodeFrame(v6, link: link).packet?.ipVersion == 6)
            #expect(decodeFrame(v4, link: link).packet?.ipVersion == 4)
            #expect(decodeFrame([], link: link).problem?.layer == .link)
            #expect(decodeFrame([0x20], link: link).problem?.layer == .link)
        }
        guard case .unsupportedLinkType(let type) = decodeFrame(v4, link: LinkType(rawValue: 147)) else {
            Issue.record("link type 147 should be unsupported")
            return
        }
        #expect(type.rawValue == 147)
    }
}

extension Array {
    func repeated(_ times: Int) -> [Element] { (0..<times).flatMap { _ in self } }
}
