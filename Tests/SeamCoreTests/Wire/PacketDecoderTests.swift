import SeamTestSupport
import Testing

@testable import SeamCore

/// The decoder on whole capture files, field by field against tshark, and on packets the snaplen cut.
@Suite struct PacketDecoderTests {
    static let corpusFiles = [
        "tcpdump--dns_tcp.pcap", "pcpp--sll2.pcap", "gopacket--test_loopback.pcap", "pcpp--one_http_stream_rst.pcap",
        "pcpp--raw_ip.pcap", "zeek--ipv6-http-atomic-frag.pcap", "tcpdump--tcp-handshake-nano.pcap",
        "zeek--truncated-header.pcap", "pcpp--four_ipv6_http_streams.pcap", "zeek-ftp--ipv6.pcap",
        "pcpp--DnsPackets.pcap", "dpkt--truncated_dns_2.pcap", "zeek--ssh-dups.pcap", "pcpp--many-protocols.pcap",
        "dpkt--http.pcap", "gopacket--test_dns.pcap", "pcpp--unidirectional_tcp_stream_with_missing_packet.pcap",
        "scapy--http_chunk.pcap", "tcpdump--pptp.pcap", "zeek--206_example_b.pcap", "zeek--content-range-gap.pcap",
        "zeek--ctu-64702-888.pcap", "zeek--reassembly.pcap", "zeek--smtp.pcap", "zeek--timestamp.pcap",
        "zeek--tls1.2.pcap",
    ]

    static let fields = [
        "frame.number", "ip.src", "ipv6.src", "tcp.srcport", "tcp.dstport", "tcp.seq_raw", "tcp.ack_raw", "tcp.len",
        "tcp.window_size_value", "tcp.options.mss_val", "tcp.options.wscale.shift", "tcp.options.timestamp.tsval",
        "udp.srcport", "udp.dstport", "udp.length", "icmp.type", "icmpv6.type", "gre.proto",
    ]

    @Test(
        .enabled(if: Tshark.isAvailable, "tshark is not installed"),
        arguments: corpusFiles.filter(TestPcap.exists))
    func agreesWithTshark(file: String) throws {
        let records = try TestPcap.read(file)
        let rows = try Tshark.fields(file, Self.fields)
        #expect(rows.count == records.count)
        var decoder = PacketDecoder()
        var comparedTCP = 0
        var comparedUDP = 0
        for (record, row) in zip(records, rows) {
            let outcome = decoder.decode(record)
            func column(_ name: String) -> String { row[Self.fields.firstIndex(of: name)!] }
            // Tunnels and ICMP errors carry inner headers tshark reports too (comma-separated): those rows are not
            // compared here (TunnelTests and the agreement tests cover tunnels).
            if row.contains(where: { $0.contains(",") }) || !column("icmp.type").isEmpty
                || !column("icmpv6.type").isEmpty || !column("gre.proto").isEmpty
            {
                continue
            }
            let frame = "\(file) frame \(record.frameNumber)"
            let source = column("ip.src").isEmpty ? column("ipv6.src") : column("ip.src")
            if !column("tcp.srcport").isEmpty {
                let packet = try #require(outcome.packet, "\(frame): \(outcome)")
                let tcp = try #require(packet.tcp, "\(frame)")
                #expect(packet.source == IPAddress(source), "\(frame)")
                #expect(String(tcp.sourcePort) == column("tcp.srcport"), "\(frame)")
                #expect(String(tcp.destinationPort) == column("tcp.dstport"), "\(frame)")
                #expect(String(tcp.sequenceNumber) == column("tcp.seq_raw"), "\(frame)")
                #expect(String(tcp.acknowledgmentNumber) == column("tcp.ack_raw"), "\(frame)")
                #expect(String(packet.payloadLength) == column("tcp.len"), "\(frame)")
                #expect(String(tcp.window) == column("tcp.window_size_value"), "\(frame)")
                #expect(
                    tcp.options.maximumSegmentSize.map(String.init) ?? "" == column("tcp.options.mss_val"), "\(frame)")
                #expect(
                    tcp.options.windowScale.map(String.init) ?? "" == column("tcp.options.wscale.shift"), "\(frame)")
                #expect(
                    tcp.options.timestamp.map { String($0.value) } ?? "" == column("tcp.options.timestamp.tsval"),
                    "\(frame)")
                #expect(packet.payload.count <= packet.payloadLength)
                comparedTCP += 1
            } else if !column("udp.srcport").isEmpty {
                let packet = try #require(outcome.packet, "\(frame): \(outcome)")
                let udp = try #require(packet.udp, "\(frame)")
                #expect(packet.source == IPAddress(source), "\(frame)")
                #expect(String(udp.sourcePort) == column("udp.srcport"), "\(frame)")
                #expect(String(udp.destinationPort) == column("udp.dstport"), "\(frame)")
                #expect(String(udp.length) == column("udp.length"), "\(frame)")
                comparedUDP += 1
            }
        }
        print("\(file): \(records.count) frames, compared \(comparedTCP) TCP and \(comparedUDP) UDP with tshark")
        #expect(comparedTCP + comparedUDP > 0)
    }

    static let client = Endpoint("192.0.2.1:40000")!
    static let server = Endpoint("198.51.100.2:443")!
    static let payload = [UInt8](0..<200)
    static let timestampOptions = TCPOptions(timestamp: TCPTimestampOption(value: 1, echoReply: 2))

    @Test(arguments: [PacketBuilder.Link.ethernet, .raw, .linuxSLL2])
    func snaplenCutInsidePayload(link: PacketBuilder.Link) throws {
        let frame = PacketBuilder.tcp(
            from: Self.client, to: Self.server, seq: 1, options: Self.timestampOptions, payload: Self.payload,
            link: link)
        let headers = frame.count - Self.payload.count
        let packet = try #require(decodeFrame(frame, link: link.linkType, snaplen: headers + 50).packet)
        #expect(Array(packet.payload) == Array(Self.payload[0..<50]))
        #expect(packet.payloadLength == 200)
        #expect(packet.isPayloadTruncated)
        #expect(packet.tcp?.options.timestamp?.echoReply == 2)
    }

    @Test func snaplenCutInsideTCPOptions() throws {
        // Every frame captured at 54 bytes: Ethernet, IPv4 and the fixed TCP header; the timestamps are cut.
        let frame = PacketBuilder.tcp(
            from: Self.client, to: Self.server, seq: 9, options: Self.timestampOptions, payload: Self.payload)
        let packet = try #require(decodeFrame(frame, link: .ethernet, snaplen: 54).packet)
        #expect(packet.tcp?.sequenceNumber == 9)
        #expect(packet.tcp?.options.isTruncated == true)
        #expect(packet.tcp?.options.timestamp == nil)
        #expect(packet.payload.isEmpty)
        #expect(packet.payloadLength == 200)
    }

    @Test func everyPrefixDecodesOrNamesTheProblem() throws {
        let frames: [(PacketBuilder.Link, [UInt8])] = [
            (
                .ethernet,
                PacketBuilder.tcp(from: Self.client, to: Self.server, seq: 1, payload: Self.payload, vlanTags: [5])
            ),
            (
                .linuxSLL2,
                PacketBuilder.udp(from: Self.client, to: Self.server, payload: Self.payload, link: .linuxSLL2)
            ),
            (
                .null,
                PacketBuilder.tcp(
                    from: Endpoint("[2001:db8::1]:1")!, to: Endpoint("[2001:db8::2]:2")!, seq: 1,
                    options: Self.timestampOptions, payload: Self.payload, link: .null,
                    ipv6ExtensionHeaders: [.hopByHop, .destinationOptions])
            ),
        ]
        for (link, frame) in frames {
            let linkLength = link == .ethernet ? 18 : link == .linuxSLL2 ? 20 : 4
            let ipLength = link == .null ? 40 + 16 : 20
            for length in 0...frame.count {
                let outcome = decodeFrame(frame, link: link.linkType, snaplen: length)
                if length < linkLength + ipLength {
                    let problem = try #require(outcome.problem, "prefix \(length)")
                    #expect(problem.layer != .tcp && problem.layer != .udp)
                } else if length < linkLength + ipLength + (link == .linuxSLL2 ? 8 : 20) {
                    let problem = try #require(outcome.problem, "prefix \(length)")
                    #expect(problem.layer == .tcp || problem.layer == .udp)
                    #expect(problem.source?.address == (link == .null ? IPAddress("2001:db8::1") : Self.client.address))
                    #expect(
                        problem.source?.port == (length >= linkLength + ipLength + 4 ? (link == .null ? 1 : 40000) : 0))
                } else {
                    let packet = try #require(outcome.packet, "prefix \(length)")
                    #expect(packet.payloadLength == 200)
                    #expect(packet.payload.count <= 200)
                }
            }
        }
    }

    @Test func impossibleLengthsAreMalformedWithEndpoints() throws {
        var frame = PacketBuilder.tcp(from: Self.client, to: Self.server, seq: 1, payload: [1, 2, 3], link: .raw)
        frame[32] = 0x40  // data offset 4
        let problem = try #require(decodeFrame(frame, link: .raw).problem)
        #expect(problem.layer == .tcp)
        #expect(problem.source == Self.client && problem.destination == Self.server)
        #expect(problem.description.hasPrefix("tcp: data offset 4"))
        frame[32] = 0x50
        frame[3] = 30  // IP total length 30: 10 bytes for a TCP header
        #expect(decodeFrame(frame, link: .raw).problem?.layer == .tcp)
        frame[3] = 10  // total length below the IP header: the addresses are still known
        let ipProblem = try #require(decodeFrame(frame, link: .raw).problem)
        #expect(ipProblem.layer == .ipv4)
        #expect(ipProblem.source == Endpoint(address: Self.client.address, port: 0))
        #expect(ipProblem.destination == Endpoint(address: Self.server.address, port: 0))
        // An IPv6 extension header that runs past the payload length: the fixed header's addresses are known.
        var v6 = PacketBuilder.udp(
            from: Endpoint("[2001:db8::1]:1")!, to: Endpoint("[2001:db8::2]:2")!, payload: [],
            link: .raw, ipv6ExtensionHeaders: [.destinationOptions])
        v6[41] = 9  // header extension length 9: 80 bytes
        let v6Problem = try #require(decodeFrame(v6, link: .raw).problem)
        #expect(v6Problem.layer == .ipv6)
        #expect(v6Problem.source?.address == IPAddress("2001:db8::1"))
    }

    @Test func ipLengthBeyondTheFrameIsClampedAndNoted() throws {
        // The IP header claims 100 more bytes than the frame held on the wire (not a snaplen cut).
        var frame = PacketBuilder.tcp(from: Self.client, to: Self.server, seq: 1, payload: Self.payload, link: .raw)
        let claimed = frame.count + 100
        frame[2] = UInt8(claimed >> 8)
        frame[3] = UInt8(claimed & 0xff)
        let packet = try #require(decodeFrame(frame, link: .raw).packet)
        #expect(packet.payloadLength == 200)  // as Wireshark: the frame's length wins
        #expect(packet.problem?.layer == .ipv4)
        #expect(packet.problem?.source == Self.client)
        // The same claim on a frame the snaplen cut is a cut, not a problem.
        var cut = PacketBuilder.record(frame, link: .raw)
        cut.originalLength = claimed
        let cutPacket = try #require(decodeFrame(cut).packet)
        #expect(cutPacket.payloadLength == 300 && cutPacket.payload.count == 200 && cutPacket.problem == nil)
    }
}
