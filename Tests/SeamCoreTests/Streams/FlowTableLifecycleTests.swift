import Testing

@testable import SeamCore

/// The flow table's rules around a flow's close and end, and the facts it records per direction: bytes held
/// behind a hole outlive the close until the flow ends, a SYN-ACK rebases its direction, and super-segments
/// are counted.
@Suite struct FlowTableLifecycleTests {
    let c = "10.0.0.1:40000"
    let s = "10.0.0.2:80"

    /// Records closes and ends beside data, so order against them can be checked.
    final class Order: StreamConsumer {
        var events: [String] = []
        func flowClosed(_ flow: FlowState) { events.append("closed \(flow.id)") }
        func flowEnded(_ flow: FlowState) { events.append("ended \(flow.id)") }
        func tcpData(
            _ bytes: ArraySlice<UInt8>, at offset: UInt64, direction: Direction, time: Timestamp, in flow: FlowState
        ) {
            events.append("\(flow.id) data \(offset) \(String(decoding: bytes, as: UTF8.self))")
        }
        func tcpGap(at offset: UInt64, length: UInt64, direction: Direction, time: Timestamp, in flow: FlowState) {
            events.append("\(flow.id) gap \(offset)+\(length)")
        }
    }

    @Test func bytesHeldAtTheCloseAreReleasedByALateAcknowledgment() {
        let order = Order()
        var t = FlowScript(order)
        t.tcp(c, s, seq: 0, flags: .syn)
        t.tcp(s, c, seq: 100, ack: 1, flags: [.syn, .ack])
        t.tcp(c, s, seq: 5, ack: 101, "late")  // bytes 1..<5 never captured
        t.tcp(c, s, seq: 9, ack: 101, flags: [.fin, .ack])
        t.tcp(s, c, seq: 101, ack: 1, flags: [.fin, .ack])  // acknowledges nothing past the hole: closed, held
        #expect(t.table.flows[0].isClosed)
        #expect(t.table.flows[0].clientToServer.undeliveredBytes == 4)
        t.tcp(s, c, seq: 102, ack: 10, flags: .ack)  // the server had it all
        t.table.finish()
        #expect(order.events == ["closed tcp.0", "tcp.0 gap 0+4", "tcp.0 data 4 late", "ended tcp.0"])
        #expect(t.table.flows[0].clientToServer.undeliveredBytes == 0)
        #expect(t.table.flows[0].clientToServer.gapBytes == 4)
    }

    @Test func aNewFlowOnTheTupleEndsTheOldOneWithWhatItStillHeld() {
        let order = Order()
        var t = FlowScript(order)
        t.tcp(c, s, seq: 0, flags: .syn)
        t.tcp(c, s, seq: 5, "held")
        t.tcp(c, s, seq: 9, flags: .rst)
        t.tcp(c, s, seq: 50_000, flags: .syn)  // port reuse: tcp.0 ends here
        t.tcp(c, s, seq: 50_001, "new")
        t.tcp(s, c, seq: 1, ack: 10, flags: .ack)  // tcp.1's peer: releases nothing of tcp.0
        t.table.finish()
        #expect(order.events == ["closed tcp.0", "ended tcp.0", "tcp.1 data 0 new", "closed tcp.1", "ended tcp.1"])
        #expect(t.table.flows[0].clientToServer.undeliveredBytes == 4)
        #expect(t.table.flows[0].clientToServer.streamBytes == 0)
    }

    @Test func aSYNACKRebasesItsDirection() {
        let order = Order()
        var t = FlowScript(order)
        t.tcp(c, s, seq: 0, flags: .syn)
        t.tcp(s, c, seq: 70_000, ack: 1, flags: .ack)  // a stray ACK sets the server's base
        t.tcp(s, c, seq: 300, ack: 1, flags: [.syn, .ack])  // the real handshake
        t.tcp(s, c, seq: 301, ack: 1, "ok")
        t.table.finish()
        #expect(order.events == ["tcp.0 data 0 ok", "closed tcp.0", "ended tcp.0"])
        #expect(t.table.flows[0].baseSequences[1] == 300)
    }

    @Test func superSegmentsAreSegmentsAboveTheReceiversMSSOrBIGTCPPackets() throws {
        let r = StreamRecorder()
        var t = FlowScript(r)
        t.tcp(c, s, seq: 0, flags: .syn, mss: 1460)
        t.tcp(s, c, seq: 0, ack: 1, flags: [.syn, .ack], mss: 1200)
        t.tcpBytes(c, s, seq: 1, ack: 1, Array(repeating: 1, count: 1200))  // exactly the server's MSS
        t.tcpBytes(c, s, seq: 1201, ack: 1, Array(repeating: 2, count: 1201))  // one byte more: GSO/GRO
        t.tcpBytes(s, c, seq: 1, ack: 2402, Array(repeating: 3, count: 1460))
        t.table.finish()
        let flow = t.table.flows[0]
        #expect(flow.clientToServer.superSegments == 1 && flow.clientToServer.largestSegment == 1201)
        #expect(flow.serverToClient.superSegments == 0 && !flow.sawSuperSegments(.serverToClient))
        let marks = try #require(r.segments[flow.id]).filter { $0.length > 0 }.map { $0.marks.contains(.superSegment) }
        #expect(marks == [false, true, false])

        // Without a handshake the MSS is unknown: only a BIG TCP packet counts.
        let r2 = StreamRecorder()
        var t2 = FlowScript(r2)
        t2.tcpBytes(c, s, seq: 1, Array(repeating: 4, count: 60_000))
        var packet = DecodedPacket(
            ipVersion: 4, source: Endpoint(c)!.address, destination: Endpoint(s)!.address, hopLimit: 64,
            transport: .tcp(TCPHeader(sourcePort: 40_000, destinationPort: 80, sequenceNumber: 60_001,
                acknowledgmentNumber: 0, flags: .ack, window: 100)),
            payload: Array(repeating: 5, count: 70_000)[...], payloadLength: 70_000)
        packet.isSuperPacket = true
        t2.send(.packet(packet))
        t2.table.finish()
        #expect(t2.table.flows[0].clientToServer.superSegments == 1)
        #expect(t2.table.flows[0].clientToServer.largestSegment == 70_000)
    }
}

extension FlowTableLifecycleTests {
    /// A retransmission is checked against the bytes delivered before it, never against a gap's: after the
    /// snaplen cut a segment, its full retransmission is a retransmission, not a conflict; a changed byte in
    /// captured data still is one.
    @Test func retransmissionsOverAGapAreNotConflicts() {
        let r = StreamRecorder()
        var t = FlowScript(r)
        t.tcp(c, s, seq: 0, flags: .syn)
        t.tcp(c, s, seq: 1, "abcd", claimed: 10)  // 6 bytes cut: a gap
        t.tcp(c, s, seq: 11, "klm")
        t.tcp(c, s, seq: 1, "abcdefghij")  // the whole first segment again, after bytes past the gap
        t.tcp(c, s, seq: 11, "kXm")  // differs from what was delivered
        t.table.finish()
        let marks = r.segments[FlowID("tcp.0")!]!.map(\.marks)
        #expect(marks[3].contains(.retransmission) && !marks[3].contains(.conflict))
        #expect(marks[4].contains(.retransmission) && marks[4].contains(.conflict))
        #expect(t.table.flows[0].clientToServer.conflicts == 1)
    }
}
