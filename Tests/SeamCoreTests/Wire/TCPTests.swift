import SeamTestSupport
import Testing

@testable import SeamCore

/// smoltcp's four tests on real bytes: tcpdump--dns_tcp.pcap frame 1 (SYN) and 4 (data), without Ethernet/IPv4.
@Suite struct TCPTests {
    // 192.168.1.11:33779 → 209.87.249.18:53, SYN, MSS 1460, SACK_PERM, TS 2044906138/0, WS 7.
    static let syn = hexBytes(
        "83f3 0035 23fe c80c 0000 0000 a002 faf0 0c41 0000 0204 05b4 0402 080a 79e2 ca9a 0000 0000 0103 0307")
    // Frame 4: ACK|PSH, seq 0x23fec80d, 58 bytes of DNS.
    static let dataFrame = hexBytes(
        """
        001122334466001122334455080045000062 9b2a40004006134ec0a8010bd157f912
        83f3003523fec80d79d249145018faf0779600000038431901200001000000000001037777770774637064756d70036f7267
        0000010001000029100000000000000c000a00088f06be7d691442f0
        """)

    @Test func deconstruct() throws {
        let view = try TCPSegmentView(checking: Self.syn[...], segmentLength: Self.syn.count)
        #expect(view.sourcePort == 33779)
        #expect(view.destinationPort == 53)
        #expect(view.sequenceNumber == 0x23fe_c80c)
        #expect(view.acknowledgmentNumber == 0)
        #expect(view.headerLength == 40)
        #expect(view.flags == .syn)
        #expect(view.window == 64240)
        #expect(view.checksum == 0x0c41)
        #expect(view.payload.isEmpty)
        let header = TCPHeader(view)
        #expect(header.options.maximumSegmentSize == 1460)
        #expect(header.options.sackPermitted)
        #expect(header.options.timestamp == TCPTimestampOption(value: 2_044_906_138, echoReply: 0))
        #expect(header.options.windowScale == 7)
        #expect(header.options.sackBlocks.isEmpty)
        #expect(!header.options.isTruncated)
        let segment = Array(Self.dataFrame[34...])
        let data = try TCPSegmentView(checking: segment[...], segmentLength: segment.count)
        #expect(data.flags == [.ack, .psh])
        #expect(data.payloadLength == 58)
        #expect(data.payload.first == 0x00 && data.payload.last == 0xf0)
    }

    @Test func construct() throws {
        var out: [UInt8] = []
        try TCPHeader(parsing: Self.syn[...]).emit(into: &out)
        #expect(out == Self.syn)  // Linux's option order round-trips byte for byte
        let segment = PacketBuilder.tcpSegment(
            from: Endpoint("192.168.1.11:33779")!, to: Endpoint("209.87.249.18:53")!, seq: 0x23fe_c80c, flags: .syn,
            window: 64240,
            options: TCPOptions(
                maximumSegmentSize: 1460, windowScale: 7, sackPermitted: true,
                timestamp: TCPTimestampOption(value: 2_044_906_138, echoReply: 0)))
        #expect(segment == Self.syn)  // checksum 0x0c41 computed over the IPv4 pseudo-header
    }

    @Test func sackBlocksAndUnknownOptions() throws {
        let options = TCPOptions(
            sackBlocks: [SACKBlock(left: 1, right: 2), SACKBlock(left: 0xffff_fff0, right: 16)],
            timestamp: TCPTimestampOption(value: 5, echoReply: 6))
        var area: [UInt8] = [30, 4, 0xaa, 0xbb]  // unknown kind 30 (MPTCP), skipped by its length
        options.emit(into: &area)
        #expect(TCPOptions(parsing: area[...]) == options)
        #expect(TCPOptions(parsing: [2, 4, 5][...]).isTruncated)  // MSS cut short
        #expect(TCPOptions(parsing: [1, 8][...]).isTruncated)  // kind without length
        #expect(TCPOptions(parsing: [8, 1, 0, 0][...]).isTruncated)  // length below 2
        #expect(TCPOptions(parsing: [0, 2, 4, 5, 0xb4][...]) == TCPOptions())  // nothing after EOL
    }

    @Test func truncated() {
        for length in 0..<Self.syn.count {
            let prefix = Self.syn[0..<length]
            // As a segment whose IP length claims it all: below 20 a problem, above it truncated options.
            let result = Result { () throws(DecodeProblem) in
                TCPHeader(try TCPSegmentView(checking: prefix, segmentLength: Self.syn.count))
            }
            switch result {
            case .success(let header):
                #expect(length >= 20)
                #expect(header.options.isTruncated)
            case .failure(let problem):
                #expect(length < 20)
                #expect(problem.layer == .tcp)
            }
            // Parsed on its own, a prefix is never a whole header with options.
            #expect((try? TCPHeader(parsing: prefix)) == nil || length >= 20)
        }
    }

    @Test func impossibleLength() {
        var bytes = Self.syn
        bytes[12] = 0x40  // data offset 4
        #expect(throws: DecodeProblem.self) { try TCPSegmentView(checking: bytes[...], segmentLength: bytes.count) }
        bytes[12] = 0xf0  // data offset 15 = 60 bytes > 40-byte segment
        #expect(throws: DecodeProblem.self) { try TCPSegmentView(checking: bytes[...], segmentLength: bytes.count) }
        #expect(throws: DecodeProblem.self) { try TCPSegmentView(checking: Self.syn[...], segmentLength: 19) }
        #expect(throws: DecodeProblem.self) { try TCPSegmentView(checking: Self.syn[...], segmentLength: 36) }
    }
}
