import Testing

@testable import SeamCore

@Suite struct TCPReassemblerTests {
    let c = "10.0.0.1:40000"
    let s = "10.0.0.2:80"

    @Test func handshakeThenDataBothWays() {
        let r = StreamRecorder()
        var t = FlowScript(r)
        t.tcp(c, s, seq: 100, flags: .syn, mss: 1460)
        t.tcp(s, c, seq: 500, ack: 101, flags: [.syn, .ack], mss: 1400)
        t.tcp(c, s, seq: 101, ack: 501, "hello")
        t.tcp(c, s, seq: 106, ack: 501, "feng")
        t.tcp(s, c, seq: 501, ack: 110, "HELLOFENG")
        t.table.finish()
        #expect(r.bytes["tcp.0 c2s"] == Array("hellofeng".utf8))
        #expect(r.bytes["tcp.0 s2c"] == Array("HELLOFENG".utf8))
        let flow = t.table.flow(FlowID(proto: .tcp, index: 0))!
        #expect(flow.client == Endpoint(c))
        #expect(flow.clientIsGuessed == false)
        #expect(flow.clientToServer.maximumSegmentSize == 1460)
        #expect(flow.serverToClient.maximumSegmentSize == 1400)
        let data = r.segments[flow.id]!.filter { $0.length > 0 }
        #expect(data.map(\.offset) == [0, 5, 0])
        #expect(data[2].acknowledgedOffset == 9)
        #expect(r.ended == [flow.id])
        #expect(r.orderViolations == 0)
    }

    @Test func retransmissionFirstBytesWinAndConflictIsMarked() {
        let r = StreamRecorder()
        var t = FlowScript(r)
        t.tcp(c, s, seq: 0, flags: .syn)
        t.tcp(c, s, seq: 1, "abcdef")
        t.tcp(c, s, seq: 1, "abcdef")  // plain retransmission
        t.tcp(c, s, seq: 4, "XYZghi")  // overlaps "def" with different bytes, adds "ghi"
        t.table.finish()
        #expect(r.bytes["tcp.0 c2s"] == Array("abcdefghi".utf8))
        let marks = r.segments[FlowID(proto: .tcp, index: 0)]!.map(\.marks)
        #expect(marks[2].contains(.retransmission) && !marks[2].contains(.conflict))
        #expect(marks[3].contains(.retransmission) && marks[3].contains(.conflict))
        #expect(t.table.flows[0].clientToServer.retransmissions == 2)
        #expect(t.table.flows[0].clientToServer.conflicts == 1)
    }

    @Test func outOfOrderSegmentsAreBufferedAndDeliveredInOrder() {
        let r = StreamRecorder()
        var t = FlowScript(r)
        t.tcp(c, s, seq: 0, flags: .syn)
        t.tcp(c, s, seq: 7, "world")
        t.tcp(c, s, seq: 12, "!")
        t.tcp(c, s, seq: 1, "hello ")
        t.table.finish()
        #expect(r.bytes["tcp.0 c2s"] == Array("hello world!".utf8))
        let marks = r.segments[FlowID(proto: .tcp, index: 0)]!.map(\.marks)
        #expect(marks[1].contains(.ahead))
        #expect(marks[3].contains(.outOfOrder))
        #expect(r.orderViolations == 0)
    }

    @Test func sequenceWrapAround() {
        let r = StreamRecorder()
        var t = FlowScript(r)
        t.tcp(c, s, seq: 0xFFFF_FFFA, flags: .syn)
        t.tcp(c, s, seq: 0xFFFF_FFFB, "abcdefgh")  // crosses 2^32
        t.tcp(c, s, seq: 3, "ij")
        t.table.finish()
        #expect(r.bytes["tcp.0 c2s"] == Array("abcdefghij".utf8))
        #expect(r.segments[FlowID(proto: .tcp, index: 0)]!.last!.offset == 8)
    }

    @Test func holeAcknowledgedByPeerBecomesGap() {
        let r = StreamRecorder()
        var t = FlowScript(r)
        t.tcp(c, s, seq: 0, flags: .syn)
        t.tcp(s, c, seq: 0, ack: 1, flags: [.syn, .ack])
        t.tcp(c, s, seq: 1, ack: 1, "aaaa")
        // seq 5..<9 never captured
        t.tcp(c, s, seq: 9, ack: 1, "cccc")
        #expect(r.bytes["tcp.0 c2s"] == Array("aaaa".utf8))
        t.tcp(s, c, seq: 1, ack: 13)  // the server had all of it
        t.table.finish()
        #expect(r.bytes["tcp.0 c2s"] == Array("aaaacccc".utf8))
        #expect(r.gaps["tcp.0 c2s"]!.map { $0.0 } == [4])
        #expect(r.gaps["tcp.0 c2s"]!.map { $0.1 } == [4])
        #expect(t.table.flows[0].clientToServer.gapBytes == 4)
        #expect(r.orderViolations == 0)
    }

    @Test func unacknowledgedDataBehindHoleIsNotDelivered() {
        let r = StreamRecorder()
        var t = FlowScript(r)
        t.tcp(c, s, seq: 0, flags: .syn)
        t.tcp(c, s, seq: 1, "aaaa")
        t.tcp(c, s, seq: 9, "cccc")
        t.table.finish()
        #expect(r.bytes["tcp.0 c2s"] == Array("aaaa".utf8))
        #expect(t.table.flows[0].clientToServer.undeliveredBytes == 4)
    }

    @Test func midStreamStartGuessesClientByPort() {
        let r = StreamRecorder()
        var t = FlowScript(r)
        t.tcp(s, c, seq: 7000, ack: 3000, "response")
        t.tcp(c, s, seq: 3000, ack: 7008, "next request")
        t.table.finish()
        let flow = t.table.flows[0]
        #expect(flow.clientIsGuessed)
        #expect(flow.client == Endpoint(c))
        #expect(r.bytes["tcp.0 s2c"] == Array("response".utf8))
        #expect(r.bytes["tcp.0 c2s"] == Array("next request".utf8))
    }

    @Test func newSYNOnSameTupleStartsNewStream() {
        let r = StreamRecorder()
        var t = FlowScript(r)
        t.tcp(c, s, seq: 100, flags: .syn)
        t.tcp(c, s, seq: 100, flags: .syn)  // retransmitted SYN: same stream
        t.tcp(c, s, seq: 101, "one")
        t.tcp(c, s, seq: 104, flags: [.fin, .ack])
        t.tcp(s, c, seq: 9, flags: [.fin, .ack])
        t.tcp(c, s, seq: 90_000, flags: .syn)  // port reuse
        t.tcp(c, s, seq: 90_001, "two")
        t.udp("10.0.0.1:5000", "10.0.0.2:53", "q")
        t.table.finish()
        #expect(t.table.tcpFlowCount == 2)
        #expect(t.table.udpFlowCount == 1)
        #expect(r.bytes["tcp.0 c2s"] == Array("one".utf8))
        #expect(r.bytes["tcp.1 c2s"] == Array("two".utf8))
        #expect(r.ended.first == FlowID(proto: .tcp, index: 0))
        #expect(Set(r.ended) == Set([FlowID("tcp.0")!, FlowID("tcp.1")!, FlowID("udp.0")!]))
    }

    @Test func snaplenCutPayloadBecomesGap() {
        let r = StreamRecorder()
        var t = FlowScript(r)
        t.tcp(c, s, seq: 0, flags: .syn)
        t.tcp(c, s, seq: 1, "abc", claimed: 10)
        t.tcp(c, s, seq: 11, "xyz")
        t.table.finish()
        #expect(r.bytes["tcp.0 c2s"] == Array("abcxyz".utf8))
        #expect(r.gaps["tcp.0 c2s"]!.first!.0 == 3)
        #expect(r.gaps["tcp.0 c2s"]!.first!.1 == 7)
        #expect(r.segments[FlowID("tcp.0")!]![1].marks.contains(.payloadCut))
    }

    @Test func udpDatagramsAreCountedPerDirection() {
        let r = StreamRecorder()
        var t = FlowScript(r)
        t.udp("127.0.0.1:5000", "127.0.0.1:9999", "ping")
        t.udp("127.0.0.1:9999", "127.0.0.1:5000", "PONG!")
        t.udp("127.0.0.1:5000", "127.0.0.1:9999", "")
        t.table.finish()
        let d = r.datagrams[FlowID("udp.0")!]!
        #expect(d.map(\.0.index) == [0, 0, 1])
        #expect(d.map(\.0.direction) == [.clientToServer, .serverToClient, .clientToServer])
        #expect(d.map(\.1) == [Array("ping".utf8), Array("PONG!".utf8), []])
        #expect(t.table.flows[0].clientToServer.packets == 2)
    }

    @Test func boundedBufferDeclaresGap() {
        let r = StreamRecorder()
        var reassembler = TCPReassembler(maximumBufferedBytes: 8)
        var delivered: [TCPReassembler.Delivery] = []
        _ = reassembler.receive(sequence: 1, payload: [1, 2][...], claimedLength: 2, time: Timestamp(nanoseconds: 0)) {
            delivered.append($0)
        }
        _ = reassembler.receive(
            sequence: 10, payload: Array(repeating: 7, count: 9)[...], claimedLength: 9, time: Timestamp(nanoseconds: 0)
        ) { delivered.append($0) }
        #expect(reassembler.nextOffset == 18)
        #expect(reassembler.gapBytes == 7)
        _ = r
    }
}
