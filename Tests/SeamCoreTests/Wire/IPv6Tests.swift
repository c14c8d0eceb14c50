import SeamTestSupport
import Testing

@testable import SeamCore

/// smoltcp's four tests on real bytes (zeek--ipv6-http-atomic-frag.pcap, pcpp--raw_ip.pcap) and the extension
/// headers: hop-by-hop, routing type 0, atomic and real fragments, destination options, no next header.
@Suite struct IPv6Tests {
    // zeek--ipv6-http-atomic-frag.pcap frame 4: 2001:db8:1::2 → 2001:db8:1::1, destination options, TCP SYN.
    static let withDestinationOptions = hexBytes(
        """
        60000000001c3c4020010db800010000000000000000000220010db80001000000000000000000010600010400000000
        90570050e31ebd4e000000005002200003570000
        """)
    // pcpp--raw_ip.pcap frame 1: 2001:618:400::5199:cc70 → 2001:618:1:8000::5, TCP SYN, hop limit 64.
    static let raw = hexBytes(
        """
        60000000002806402001061804000000000000005199cc70200106180001800000000000000000058c9b00506ae70736
        00000000a0021630299c00000204058c0402080a00dd1a390000000001030302
        """)

    @Test func deconstruct() throws {
        let view = try IPv6PacketView(checking: Self.withDestinationOptions[...])
        #expect(view.payloadLength == 28)
        #expect(view.nextHeader == 60)
        #expect(view.hopLimit == 64)
        #expect(view.source == IPAddress("2001:db8:1::2"))
        #expect(view.destination == IPAddress("2001:db8:1::1"))
        #expect(view.upperLayerProtocol == 6)
        #expect(view.upperLayerOffset == 48)
        #expect(view.upperLayerLength == 20)
        #expect(!view.isFragment)
        let tcp = try TCPHeader(parsing: view.payload)
        #expect(tcp.sourcePort == 36951 && tcp.destinationPort == 80)
        let plain = try IPv6PacketView(checking: Self.raw[...])
        #expect(plain.upperLayerOffset == 40)
        #expect(plain.source == IPAddress("2001:618:400::5199:cc70"))
        #expect(plain.flowLabel == 0 && plain.trafficClass == 0)
    }

    @Test func construct() {
        var out: [UInt8] = []
        IPv6Header(
            source: IPAddress("2001:618:400::5199:cc70")!, destination: IPAddress("2001:618:1:8000::5")!,
            nextHeader: 6, payloadLength: 40
        ).emit(into: &out)
        #expect(out == Array(Self.raw[0..<40]))
        let segment = Array(Self.raw[40...])
        let built = PacketBuilder.ipPacket(
            from: IPAddress("2001:618:400::5199:cc70")!, to: IPAddress("2001:618:1:8000::5")!, protocolNumber: 6,
            transport: segment)
        #expect(built == Self.raw)
        // Destination options with only padding: 06 00 | PadN 4 zero bytes.
        var options: [UInt8] = []
        IPv6ExtensionHeader.destinationOptions.emit(into: &options, nextHeader: 6)
        #expect(options == Array(Self.withDestinationOptions[40..<48]))
    }

    @Test func truncated() throws {
        for length in 0..<Self.withDestinationOptions.count {
            let prefix = Self.withDestinationOptions[0..<length]
            let view = try? IPv6PacketView(checking: prefix)
            #expect((view != nil) == (length >= 48))  // the fixed header and the options header are needed
            if let view { #expect(view.payload.count == length - 48) }
        }
    }

    @Test func impossibleLength() {
        var bytes = Self.withDestinationOptions
        bytes[5] = 4  // payload length 4, the 8-byte options header does not fit
        #expect(throws: DecodeProblem.self) { try IPv6PacketView(checking: bytes[...]) }
        bytes[5] = 0
        bytes[6] = 0  // jumbogram: payload length 0 with hop-by-hop
        #expect(throws: DecodeProblem.self) { try IPv6PacketView(checking: bytes[...]) }
        bytes = Self.raw
        bytes[0] = 0x40
        #expect(throws: DecodeProblem.self) { try IPv6PacketView(checking: bytes[...]) }
    }

    @Test func extensionHeaderChain() throws {
        let client = Endpoint("[2001:db8::1]:40000")!
        let server = Endpoint("[2001:db8::2]:80")!
        let headers: [IPv6ExtensionHeader] = [
            .hopByHop, .routing(type: 0, addresses: [IPAddress("2001:db8::99")!]),
            .fragment(offset: 0, moreFragments: false, identification: 7), .destinationOptions,
        ]
        for link in [PacketBuilder.Link.ethernet, .raw, .linuxSLL2, .null] {
            let frame = PacketBuilder.tcp(
                from: client, to: server, seq: 1, flags: [.ack, .psh], payload: Array("hi".utf8), link: link,
                ipv6ExtensionHeaders: headers)
            let packet = try #require(decodeFrame(frame, link: link.linkType).packet)
            #expect(packet.ipVersion == 6)
            #expect(packet.tcp?.destinationPort == 80)
            #expect(Array(packet.payload) == Array("hi".utf8))
            #expect(!packet.wasReassembled)  // an atomic fragment is just unwrapped
        }
        let none = PacketBuilder.ipPacket(
            from: client.address, to: server.address, protocolNumber: 59, transport: [],
            ipv6ExtensionHeaders: [.destinationOptions])
        let packet = try #require(decodeFrame(none, link: .ipv6).packet)
        guard case .other(let number) = packet.transport else {
            Issue.record("no-next-header should be .other")
            return
        }
        #expect(number == 59)
    }
}
