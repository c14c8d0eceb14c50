import SeamTestSupport
import Foundation
import Testing

@testable import SeamCore

/// Frames from `PacketBuilder` decode back to what was built, and tshark finds no checksum or length errors.
@Suite struct PacketBuilderTests {
    static let links: [PacketBuilder.Link] = [.ethernet, .raw, .linuxSLL, .linuxSLL2, .null, .loop]

    /// TCP and UDP, IPv4 and IPv6 (with extension headers), SYN options and SACK blocks, for one link.
    static func frames(_ link: PacketBuilder.Link) -> [[UInt8]] {
        let vlan: [UInt16] = link == .ethernet ? [10, 20] : []
        var frames: [[UInt8]] = []
        for (client, server) in [
            (Endpoint("10.1.1.1:40000")!, Endpoint("10.1.1.2:7000")!),
            (Endpoint("[2001:db8::1]:40000")!, Endpoint("[2001:db8::2]:7000")!),
        ] {
            let extensions: [IPv6ExtensionHeader] = client.address.isIPv6 ? [.hopByHop, .destinationOptions] : []
            frames.append(
                PacketBuilder.tcp(
                    from: client, to: server, seq: 0xffff_fff0, flags: .syn, window: 64240,
                    options: TCPOptions(
                        maximumSegmentSize: 1460, windowScale: 7, sackPermitted: true,
                        timestamp: TCPTimestampOption(value: 1, echoReply: 0)),
                    link: link, vlanTags: vlan, ipv6ExtensionHeaders: extensions))
            frames.append(
                PacketBuilder.tcp(
                    from: server, to: client, seq: 5, ack: 0xffff_fff1, flags: [.ack, .psh],
                    options: TCPOptions(sackBlocks: [SACKBlock(left: 1, right: 9)]), payload: Array("hello\n".utf8),
                    link: link, vlanTags: vlan, ipv6ExtensionHeaders: extensions))
            frames.append(
                PacketBuilder.udp(
                    from: client, to: server, payload: Array("datagram".utf8), link: link, vlanTags: vlan,
                    ipv6ExtensionHeaders: extensions))
        }
        return frames
    }

    @Test(arguments: links)
    func decodesWhatItBuilt(link: PacketBuilder.Link) throws {
        let frames = Self.frames(link)
        var decoder = PacketDecoder()
        let packets = frames.map { decoder.decode(PacketBuilder.record($0, link: link)).packet }
        let syn = try #require(packets[0]?.tcp)
        #expect(syn.sequenceNumber == 0xffff_fff0 && syn.flags == .syn && syn.window == 64240)
        #expect(syn.options.maximumSegmentSize == 1460 && syn.options.windowScale == 7 && syn.options.sackPermitted)
        let data = try #require(packets[4])
        #expect(data.ipVersion == 6)
        #expect(data.tcp?.acknowledgmentNumber == 0xffff_fff1)
        #expect(data.tcp?.options.sackBlocks == [SACKBlock(left: 1, right: 9)])
        #expect(Array(data.payload) == Array("hello\n".utf8))
        #expect(packets[5]?.udp?.length == 16)
        #expect(Array(packets[2]?.payload ?? []) == Array("datagram".utf8))
    }

    @Test(.enabled(if: Tshark.isAvailable, "tshark is not installed"), arguments: links)
    func tsharkFindsNoErrors(link: PacketBuilder.Link) throws {
        let path = TestPcap.temporaryPath("builder-\(link)")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try TestPcap.write(Self.frames(link), linkType: link.linkType, to: path)
        let rows = try Tshark.fields(
            path,
            [
                "tcp.checksum.status", "udp.checksum.status", "ip.checksum.status", "tcp.seq_raw", "tcp.len",
                "udp.length", "vlan.id", "_ws.expert.message", "ieee8021ad.id",
            ],
            extra: ["-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE"])
        #expect(rows.count == 6)
        #expect(rows.map { $0[0] + $0[1] } == ["1", "1", "1", "1", "1", "1"])  // 1: good
        #expect(rows.prefix(3).allSatisfy { $0[2] == "1" })
        #expect(rows.map { $0[3] } == ["4294967280", "5", "", "4294967280", "5", ""])
        #expect(rows.map { $0[4] } == ["0", "6", "", "0", "6", ""])
        #expect(rows[2][5] == "16")
        if link == .ethernet {  // outer 802.1ad (QinQ) tag 10, inner 802.1Q tag 20
            #expect(rows.allSatisfy { $0[8] == "10" && $0[6] == "20" })
        }
        #expect(!rows.contains { $0[7].contains("Malformed") || $0[7].localizedCaseInsensitiveContains("checksum") })
    }
}
