import SeamTestSupport
import Foundation
import Testing

@testable import SeamCore

/// Built captures of the cases where Follow TCP Stream's rules show: bytes behind a hole released by an
/// acknowledgment after the close, bytes never acknowledged, a retransmission after the close, a SYN-ACK that
/// rebases its direction, BIG TCP super-packets. Each states what Seam delivers (in which order, against the
/// close), and, where tshark is installed, that `tshark -z follow,tcp,raw` shows the same bytes.
@Suite struct FollowEdgeCaseTests {
    static let client = Endpoint("10.0.0.1:40000")!
    static let server = Endpoint("10.0.0.2:80")!

    /// Every event of the flow table, as text, in order.
    final class EventLog: StreamConsumer {
        var events: [String] = []
        func flowClosed(_ flow: FlowState) { events.append("closed \(flow.id)") }
        func flowEnded(_ flow: FlowState) { events.append("ended \(flow.id)") }
        func tcpData(
            _ bytes: ArraySlice<UInt8>, at offset: UInt64, direction: Direction, time: Timestamp, in flow: FlowState
        ) {
            events.append("data \(direction.rawValue) \(offset) \(String(decoding: bytes, as: UTF8.self))")
        }
        func tcpGap(at offset: UInt64, length: UInt64, direction: Direction, time: Timestamp, in flow: FlowState) {
            events.append("gap \(direction.rawValue) \(offset)+\(length)")
        }
    }

    /// Scans `records`: the event log and the table; with tshark, also checks Follow's bytes on a pcap of them.
    func scan(_ records: [PacketRecord], name: String) throws -> (log: [String], table: FlowTable) {
        let log = EventLog()
        let table = FlowTable(consumers: [log])
        var decoder = PacketDecoder()
        for record in records { table.process(decoder.decode(record), record: record) }
        table.finish()
        if Tshark.isAvailable {
            let path = TestFiles.path("\(name).pcap")
            defer { unlink(path) }
            let writer = try PcapWriter(path: path, linkType: records.first?.linkType ?? .ethernet)
            for record in records {
                try writer.writePacket(
                    timestamp: record.timestamp, data: record.data, originalLength: record.originalLength)
            }
            try writer.close()
            let agreement = try TsharkAgreementTests().checkAgreement(path)
            #expect(agreement.streams > 0 && agreement.identical == agreement.streams, "\(name): tshark agrees")
        } else {
            print("\(name): tshark is not installed; Follow's bytes not compared")
        }
        return (log.events, table)
    }

    /// The server's first 10 bytes were never captured; both FINs close the flow; the client's last ACK then
    /// acknowledges past the hole: a gap for the hole, then the 10 held bytes, after `flowClosed`.
    @Test func anAcknowledgmentAfterTheCloseReleasesTheHeldBytes() throws {
        var b = TCPConversationBuilder(client: Self.client, server: Self.server)
        b.handshake()
        b.send(Array("GET\n".utf8), from: .clientToServer)
        b.segment(from: .serverToClient, offset: 10, Array("after hole".utf8))
        b.segment(from: .serverToClient, offset: 20, [], flags: [.fin, .ack])
        b.segment(from: .clientToServer, offset: 4, [], flags: .fin)  // no ACK flag: acknowledges nothing
        b.segment(from: .clientToServer, offset: 5, [], flags: .ack)  // acknowledges all 20 bytes and the FIN
        let (log, table) = try scan(b.records, name: "late-ack")
        #expect(
            log == [
                "data c2s 0 GET\n", "closed tcp.0", "gap s2c 0+10", "data s2c 10 after hole", "ended tcp.0",
            ])
        let stats = table.flows[0].serverToClient
        #expect(stats.gaps == 1 && stats.gapBytes == 10 && stats.streamBytes == 10 && stats.undeliveredBytes == 0)
    }

    /// The same, but nothing acknowledges past the hole: the held bytes are never delivered (Follow shows
    /// nothing either) and stay counted as undelivered once the flow ended.
    @Test func bytesNeverAcknowledgedStayUndelivered() throws {
        var b = TCPConversationBuilder(client: Self.client, server: Self.server)
        b.handshake()
        b.segment(from: .serverToClient, offset: 10, Array("after hole".utf8))
        b.segment(from: .serverToClient, offset: 20, [], flags: [.fin, .ack])
        b.segment(from: .clientToServer, offset: 0, [], flags: .fin)
        let (log, table) = try scan(b.records, name: "never-acked")
        #expect(log == ["closed tcp.0", "ended tcp.0"])
        let stats = table.flows[0].serverToClient
        #expect(stats.undeliveredBytes == 10 && stats.streamBytes == 0 && stats.gaps == 0)
    }

    /// The retransmission of the missing bytes comes after the close: it fills the hole and releases the rest.
    @Test func aRetransmissionAfterTheCloseFillsTheHole() throws {
        var b = TCPConversationBuilder(client: Self.client, server: Self.server)
        b.handshake()
        b.segment(from: .serverToClient, offset: 10, Array("2nd half.\n".utf8), flags: [.ack, .psh, .fin])
        b.segment(from: .clientToServer, offset: 0, [], flags: .fin)
        b.segment(from: .serverToClient, offset: 0, Array("1st half, ".utf8))
        let (log, table) = try scan(b.records, name: "late-retransmission")
        #expect(log == ["closed tcp.0", "data s2c 0 1st half, ", "data s2c 10 2nd half.\n", "ended tcp.0"])
        #expect(table.flows[0].serverToClient.undeliveredBytes == 0)
    }

    /// A server's stray ACK sets its direction's base; the SYN-ACK of the retried handshake (after a RST)
    /// brings another initial sequence number, and its data must land at offset 0, as Follow has it.
    @Test func aSYNACKWithANewSequenceNumberRebasesItsDirection() throws {
        let c = Self.client
        let s = Self.server
        var frames: [[UInt8]] = []
        frames.append(PacketBuilder.tcp(from: c, to: s, seq: 3_212_159_102, flags: .syn))
        frames.append(PacketBuilder.tcp(from: s, to: c, seq: 1_951_419_099, ack: 2_946_759_476, flags: .ack))
        frames.append(PacketBuilder.tcp(from: c, to: s, seq: 2_946_759_476, flags: .rst))
        frames.append(PacketBuilder.tcp(from: c, to: s, seq: 3_212_159_102, flags: .syn))
        frames.append(PacketBuilder.tcp(from: s, to: c, seq: 566_354_799, ack: 3_212_159_103, flags: [.syn, .ack]))
        frames.append(
            PacketBuilder.tcp(from: c, to: s, seq: 3_212_159_103, ack: 566_354_800, payload: Array("hi".utf8)))
        frames.append(
            PacketBuilder.tcp(from: s, to: c, seq: 566_354_800, ack: 3_212_159_105, payload: Array("HI".utf8)))
        let records = frames.enumerated().map { index, frame in
            PacketBuilder.record(
                frame, at: Timestamp(seconds: 1_700_000_000, nanoseconds: Int64(index) * 1_000_000),
                frameNumber: index + 1)
        }
        let (log, table) = try scan(records, name: "synack-rebase")
        #expect(table.tcpFlowCount == 1)
        #expect(log == ["closed tcp.0", "data c2s 0 hi", "data s2c 0 HI", "ended tcp.0"])
    }

    /// Super-packets as Linux's BIG TCP writes them (IPv4 total length 0, an IPv6 jumbogram) decode whole, and
    /// count as super-segments; so does a segment larger than the receiver's MSS.
    @Test(arguments: ["10.0.0.1", "fd00::1"])
    func bigTCPSuperPacketsAreDecodedAndCounted(_ clientAddress: String) throws {
        let serverAddress = clientAddress.contains(":") ? "fd00::2" : "10.0.0.2"
        var b = TCPConversationBuilder(
            client: Endpoint(address: IPAddress(clientAddress)!, port: 40_000),
            server: Endpoint(address: IPAddress(serverAddress)!, port: 80))
        b.handshake(maximumSegmentSize: 1460)
        let big = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        b.send(big, from: .clientToServer, segmentSize: 100_000)
        b.send(Array(repeating: 0x41, count: 3000), from: .serverToClient, segmentSize: 3000)
        b.send(Array(repeating: 0x42, count: 1000), from: .serverToClient)
        b.close()
        let rendering = FollowRendering()
        let table = FlowTable(consumers: [rendering])
        var decoder = PacketDecoder()
        for record in b.records { table.process(decoder.decode(record), record: record) }
        table.finish()
        let flow = try #require(table.flows.first)
        #expect(rendering.streams[flow.id]?[flow.client.description] == big)
        #expect(flow.clientToServer.superSegments == 1 && flow.clientToServer.largestSegment == 100_000)
        #expect(flow.serverToClient.superSegments == 1 && flow.serverToClient.largestSegment == 3000)
        #expect(flow.sawSuperSegments(.clientToServer) && flow.sawSuperSegments(.serverToClient))
        #expect(table.malformed.isEmpty)
        _ = try scan(b.records, name: "bigtcp-\(clientAddress.contains(":") ? 6 : 4)")
    }
}
