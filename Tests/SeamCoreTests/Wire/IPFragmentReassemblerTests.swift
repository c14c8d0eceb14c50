import SeamTestSupport
import Foundation
import Testing

@testable import SeamCore

/// IPv4 and IPv6 fragment reassembly through `PacketDecoder`: out of order, duplicates, overlaps, bounds, timeout.
@Suite struct IPFragmentReassemblerTests {
    static let client = Endpoint("192.0.2.1:5353")!
    static let server = Endpoint("198.51.100.2:53")!
    static let data = (0..<3000).map { UInt8(truncatingIfNeeded: $0 &* 7) }

    static func time(_ seconds: Int64) -> Timestamp { Timestamp(seconds: 1_700_000_000 + seconds, nanoseconds: 0) }

    static func record(_ frame: [UInt8], _ seconds: Int64 = 0, link: PacketBuilder.Link = .ethernet) -> PacketRecord {
        PacketBuilder.record(frame, link: link, at: time(seconds))
    }

    static func ipv4Fragments(identification: UInt16 = 0x1234, payload: [UInt8] = data) -> [[UInt8]] {
        PacketBuilder.ipv4Fragments(
            PacketBuilder.udp(from: client, to: server, payload: payload, link: .raw, identification: identification),
            fragmentSize: 1480)
    }

    @Test func ipv4UDPOutOfOrderWithDuplicate() throws {
        let fragments = Self.ipv4Fragments()
        #expect(fragments.count == 3)
        var decoder = PacketDecoder()
        #expect(decoder.decode(Self.record(fragments[2])).isFragmentHeld)
        #expect(decoder.decode(Self.record(fragments[0])).isFragmentHeld)
        #expect(decoder.decode(Self.record(fragments[0])).isFragmentHeld)  // duplicate
        #expect(decoder.datagramsInProgress == 1)
        let packet = try #require(decoder.decode(Self.record(fragments[1])).packet)
        #expect(packet.wasReassembled)
        #expect(packet.udp?.length == 3008)
        #expect(packet.udp?.sourcePort == 5353)
        #expect(Array(packet.payload) == Self.data)
        #expect(packet.payloadLength == 3000)
        #expect(decoder.datagramsInProgress == 0)
        #expect(decoder.fragmentStatistics.reassembled == 1)
    }

    @Test func ipv4TCPOverFragmentsAndFirstFragmentWinsOverlaps() throws {
        let segment = PacketBuilder.tcpSegment(
            from: Self.client, to: Self.server, seq: 77, payload: Array(Self.data[0..<100]))
        let whole = PacketBuilder.ipPacket(
            from: Self.client.address, to: Self.server.address, protocolNumber: 6, transport: segment, identification: 9
        )
        let fragments = PacketBuilder.ipv4Fragments(whole, fragmentSize: 64, link: .linuxSLL2)
        #expect(fragments.count == 2)
        // A forged fragment overlapping the first one's bytes, arriving after it, does not change them.
        var forged = PacketBuilder.ipv4Fragments(whole, fragmentSize: 64, link: .linuxSLL2)[0]
        forged[forged.count - 1] ^= 0xff
        var decoder = PacketDecoder()
        #expect(decoder.decode(Self.record(fragments[0], link: .linuxSLL2)).isFragmentHeld)
        #expect(decoder.decode(Self.record(forged, link: .linuxSLL2)).isFragmentHeld)
        let packet = try #require(decoder.decode(Self.record(fragments[1], link: .linuxSLL2)).packet)
        #expect(packet.wasReassembled)
        #expect(packet.tcp?.sequenceNumber == 77)
        #expect(Array(packet.payload) == Array(Self.data[0..<100]))
    }

    @Test func ipv6UDPOutOfOrderWithDestinationOptions() throws {
        let client = Endpoint("[2001:db8::1]:5353")!
        let server = Endpoint("[2001:db8::2]:53")!
        // The fragmentable part starts with destination options, then UDP.
        var transport: [UInt8] = []
        IPv6ExtensionHeader.destinationOptions.emit(into: &transport, nextHeader: Wire.IPProtocol.udp)
        transport += PacketBuilder.udpDatagram(from: client, to: server, payload: Self.data)
        let fragments = PacketBuilder.ipv6Fragments(
            from: client.address, to: server.address, nextHeader: Wire.IPProtocol.ipv6DestinationOptions,
            transport: transport, identification: 0xdead_beef, fragmentSize: 1232)
        #expect(fragments.count == 3)
        var decoder = PacketDecoder()
        #expect(decoder.decode(Self.record(fragments[1])).isFragmentHeld)
        #expect(decoder.decode(Self.record(fragments[2])).isFragmentHeld)
        #expect(decoder.decode(Self.record(fragments[2])).isFragmentHeld)
        let packet = try #require(decoder.decode(Self.record(fragments[0])).packet)
        #expect(packet.wasReassembled && packet.ipVersion == 6)
        #expect(packet.source == client.address)
        #expect(packet.udp?.destinationPort == 53)
        #expect(Array(packet.payload) == Self.data)
    }

    @Test func timeoutEvictionAndBounds() throws {
        let first = Self.ipv4Fragments(identification: 1)
        var decoder = PacketDecoder(
            limits: FragmentReassemblyLimits(maximumDatagramsInProgress: 2, timeoutNanoseconds: 30_000_000_000))
        #expect(decoder.decode(Self.record(first[0], 0)).isFragmentHeld)
        // 31 s later the rest arrives: the first fragment was dropped, so the datagram is not whole.
        #expect(decoder.decode(Self.record(first[1], 31)).isFragmentHeld)
        #expect(decoder.decode(Self.record(first[2], 31)).isFragmentHeld)
        #expect(decoder.fragmentStatistics.timedOut == 1)
        // Two more datagrams in progress: the oldest is evicted.
        #expect(decoder.decode(Self.record(Self.ipv4Fragments(identification: 2)[0], 32)).isFragmentHeld)
        #expect(decoder.decode(Self.record(Self.ipv4Fragments(identification: 3)[0], 33)).isFragmentHeld)
        #expect(decoder.fragmentStatistics.evicted == 1)
        #expect(decoder.datagramsInProgress == 2)
        // A fragment ending past 65 535 bytes is rejected with the flow's addresses.
        var header = IPv4Header(
            source: Self.client.address, destination: Self.server.address, protocolNumber: 17, payloadLength: 16,
            identification: 4, fragmentOffset: 65_528)
        var far: [UInt8] = []
        header.emit(into: &far)
        far += [UInt8](repeating: 0, count: 16)
        let problem = try #require(decoder.decode(Self.record(far, 34, link: .raw)).problem)
        #expect(problem.layer == .ipv4 && problem.source?.address == Self.client.address)
        // A middle fragment whose size is not a multiple of 8 is rejected.
        header.fragmentOffset = 0
        header.moreFragments = true
        header.payloadLength = 13
        var odd: [UInt8] = []
        header.emit(into: &odd)
        odd += [UInt8](repeating: 0, count: 13)
        #expect(decoder.decode(Self.record(odd, 35, link: .raw)).problem?.layer == .ipv4)
        // A last fragment that ends before a middle fragment already held (found by the fuzz test).
        var middle = header
        middle.identification = 5
        middle.fragmentOffset = 64
        middle.payloadLength = 16
        var beyond: [UInt8] = []
        middle.emit(into: &beyond)
        beyond += [UInt8](repeating: 1, count: 16)
        #expect(decoder.decode(Self.record(beyond, 36, link: .raw)).isFragmentHeld)
        middle.fragmentOffset = 8  // ends at 24, before the held fragment's 80
        middle.moreFragments = false
        var last: [UInt8] = []
        middle.emit(into: &last)
        last += [UInt8](repeating: 2, count: 16)
        #expect(decoder.decode(Self.record(last, 36, link: .raw)).problem?.reason.contains("after the last") == true)
        #expect(decoder.fragmentStatistics.rejected == 3)
    }

    @Test func fragmentCutBySnaplenIsMalformed() throws {
        let fragment = Self.ipv4Fragments()[0]
        var decoder = PacketDecoder()
        let record = PacketBuilder.record(fragment, at: Self.time(0), snaplen: 200)
        let problem = try #require(decoder.decode(record).problem)
        #expect(problem.reason.contains("snaplen"))
        #expect(problem.source == Self.client)  // the first fragment holds the ports
    }

    @Test(.enabled(if: Tshark.isAvailable, "tshark is not installed"))
    func tsharkReassemblesTheSameDatagrams() throws {
        // Ports without a dissector, so tshark does not parse the bytes as DNS.
        let v4 = PacketBuilder.ipv4Fragments(
            PacketBuilder.udp(
                from: Endpoint("192.0.2.1:33000")!, to: Endpoint("198.51.100.2:33001")!, payload: Self.data,
                link: .raw),
            fragmentSize: 1480)
        let v6 = PacketBuilder.ipv6Fragments(
            from: IPAddress("2001:db8::1")!, to: IPAddress("2001:db8::2")!, nextHeader: Wire.IPProtocol.udp,
            transport: PacketBuilder.udpDatagram(
                from: Endpoint("[2001:db8::1]:33000")!, to: Endpoint("[2001:db8::2]:33001")!, payload: Self.data),
            identification: 5, fragmentSize: 1232)
        let path = TestPcap.temporaryPath("fragments")
        //defer
        print("KEEP", path)
        try TestPcap.write(v4 + v6, linkType: .ethernet, to: path)
        let rows = try Tshark.fields(
            path, ["frame.number", "udp.length", "udp.checksum.status", "ip.checksum.status", "_ws.expert.message"],
            extra: ["-o", "udp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE"])
        let reassembled = rows.filter { $0[1] == "3008" }
        #expect(reassembled.map { $0[0] } == ["3", "6"])
        #expect(reassembled.count == 2 && reassembled.allSatisfy { $0[2] == "1" })  // 1: good
        #expect(rows.prefix(3).allSatisfy { $0[3] == "1" })
        #expect(!rows.contains { $0[4].contains("Malformed") })
    }
}
