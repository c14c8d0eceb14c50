@testable import SeamCore

/// A BoundaryReport built by hand (values, no files) with one of each thing the HTML page draws: a coalesced
/// pair of messages, a message split by `recv(1024)`, a truncated UDP datagram, a plain-capture flow whose
/// send and recv layers were not observed, a retransmission, a capture gap, and a hostile summary.
enum HTMLReportSample {
    static let base = Timestamp(seconds: 1_795_000_000, nanoseconds: 200_000_000)

    static func at(_ millis: Double) -> Timestamp {
        Timestamp(nanoseconds: base.nanoseconds + Int64(millis * 1_000_000))
    }

    static func call(_ range: Range<UInt64>, _ millis: Double, asked: Int? = nil, truncated: Int = 0) -> LayerRange {
        LayerRange(range: range, time: at(millis), asked: asked, truncatedBytes: truncated)
    }

    static func segment(_ range: Range<UInt64>, _ millis: Double, frame: Int, marks: TCPSegmentMarks = []) -> LayerRange
    {
        LayerRange(range: range, time: at(millis), frame: frame, marks: marks)
    }

    static func endpoint(_ text: String) -> Endpoint { Endpoint(text)! }

    static func flow(
        _ id: String,
        _ proto: Transport,
        connection: Int?,
        leg: Leg?,
        _ client: String,
        _ server: String,
        c2s: DirectionReport,
        s2c: DirectionReport,
        verdicts: [Verdict] = []
    ) -> FlowReport {
        FlowReport(
            id: id,
            proto: proto,
            connection: connection,
            leg: leg,
            clientPeer: FlowPeer(endpoint: endpoint(client)),
            serverPeer: FlowPeer(endpoint: endpoint(server)),
            clientIsGuessed: connection == nil,
            start: at(0),
            clientToServer: c2s,
            serverToClient: s2c,
            verdicts: verdicts
        )
    }

    /// tcp.0: `hello\n` and `feng\n`, two sends 2 ms apart, one 11-byte segment, one read: coalesced at segment.
    static var coalescedFlow: FlowReport {
        var c2s = DirectionTimeline(direction: .clientToServer, proto: .tcp)
        c2s.sends = [call(0..<6, 1.0, asked: 6), call(6..<11, 3.0, asked: 5)]
        c2s.segments = [segment(0..<11, 3.1, frame: 4)]
        c2s.recvs = [call(0..<11, 3.4, asked: 1024)]
        c2s.messages = [
            MessageRange(range: 0..<6, summary: "hello\\n", time: at(1.0)),
            MessageRange(range: 6..<11, summary: "feng\\n", time: at(3.0)),
        ]
        c2s.messageSource = .framing(.line)
        c2s.bytes = 11
        c2s.senderMSS = 65_483
        let coalesced = Observation(
            kind: .coalesced, layer: .segment, cause: .senderCoalescing, messageRange: 0..<2, range: 0..<11,
            time: at(3.1),
            evidence: .segmentCarried(
                bytes: 11, frame: 4, time: at(3.1), writes: .joined(count: 2, spanNanoseconds: 2_000_000, reason: .unproven)))
        var s2c = DirectionTimeline(direction: .serverToClient, proto: .tcp)
        s2c.sends = [call(0..<3, 5.0, asked: 3), call(3..<6, 45.0, asked: 3)]
        s2c.segments = [segment(0..<3, 5.1, frame: 6), segment(3..<6, 45.1, frame: 8)]
        s2c.recvs = [call(0..<3, 5.3, asked: 1024), call(3..<6, 45.3, asked: 1024)]
        s2c.messages = [
            MessageRange(range: 0..<3, summary: "ok\\n", time: at(5.0)),
            MessageRange(range: 3..<6, summary: "ok\\n", time: at(45.0)),
        ]
        s2c.messageSource = .framing(.line)
        s2c.bytes = 6
        return flow(
            "tcp.0",
            .tcp,
            connection: 1,
            leg: .downstream,
            "127.0.0.1:51000",
            "127.0.0.1:9000",
            c2s: DirectionReport(timeline: c2s, observations: [coalesced]),
            s2c: DirectionReport(timeline: s2c, observations: [])
        )
    }

    /// tcp.1: a 3000-byte line read with `recv(1024)`, then `bye\n`: split at recv; nothing server → client.
    static var splitFlow: FlowReport {
        var c2s = DirectionTimeline(direction: .clientToServer, proto: .tcp)
        c2s.sends = [call(0..<3000, 10.0, asked: 3000), call(3000..<3004, 30.0, asked: 4)]
        c2s.segments = [segment(0..<3000, 10.1, frame: 12), segment(3000..<3004, 30.1, frame: 14)]
        c2s.recvs = [
            call(0..<1024, 10.3, asked: 1024), call(1024..<2048, 10.4, asked: 1024),
            call(2048..<3000, 10.5, asked: 1024), call(3000..<3004, 30.3, asked: 1024),
        ]
        c2s.messages = [
            MessageRange(range: 0..<3000, summary: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…", time: at(10.0)),
            MessageRange(range: 3000..<3004, summary: "bye\\n", time: at(30.0)),
        ]
        c2s.messageSource = .framing(.line)
        c2s.bytes = 3004
        let split = Observation(
            kind: .split, layer: .recv, cause: .recvBuffer, messageRange: 0..<1, range: 0..<3000, time: at(10.3),
            evidence: .splitOverReads(
                pieces: PieceSizes([1024, 1024, 952]), messageBytes: 3000, limitingAsk: 1024, firstRead: at(10.3),
                lastArrival: at(10.1), whatIf: false))
        let partial = Verdict(
            kind: .actedOnPartial, flow: "tcp.1", direction: .clientToServer, program: .server,
            process: ProcessName(pid: 4242, command: "python3"), message: 0, time: at(10.35),
            evidence: .actedOnPartial(
                messageBytes: 3000, readBytes: 1024, partialReads: [1],
                action: .wrote(message: 0, bytes: 4, time: at(10.35), summary: "ok\\n"), laterReads: [2, 3],
                restBytes: 1976),
            framing: .line)
        return flow(
            "tcp.1",
            .tcp,
            connection: 2,
            leg: .downstream,
            "127.0.0.1:51002",
            "127.0.0.1:9000",
            c2s: DirectionReport(timeline: c2s, observations: [split]),
            s2c: DirectionReport(timeline: DirectionTimeline(direction: .serverToClient, proto: .tcp), observations: []),
            verdicts: [partial]
        )
    }

    /// udp.0: a 2000-byte datagram read by `recvfrom(1024)` (976 bytes lost), then a 100-byte one.
    static var udpFlow: FlowReport {
        var c2s = DirectionTimeline(direction: .clientToServer, proto: .udp)
        c2s.sends = [call(0..<2000, 50.0, asked: 2000), call(2000..<2100, 51.0, asked: 100)]
        c2s.segments = [segment(0..<2000, 50.1, frame: 20), segment(2000..<2100, 51.1, frame: 21)]
        c2s.recvs = [call(0..<1024, 50.3, asked: 1024, truncated: 976), call(2000..<2100, 51.3, asked: 1024)]
        c2s.messages = [
            MessageRange(range: 0..<2000, summary: "datagram of 2000 bytes", time: at(50.0)),
            MessageRange(range: 2000..<2100, summary: "datagram of 100 bytes", time: at(51.0)),
        ]
        c2s.messageSource = .datagrams
        c2s.bytes = 2100
        let truncated = Observation(
            kind: .truncated, layer: .recv, cause: .recvfromSize, messageRange: 0..<1, range: 0..<2000, time: at(50.3),
            evidence: .wouldTruncate(asked: 1024, datagramBytes: 2000), isWhatIf: true)
        return flow(
            "udp.0",
            .udp,
            connection: 3,
            leg: .downstream,
            "127.0.0.1:40000",
            "127.0.0.1:9001",
            c2s: DirectionReport(timeline: c2s, observations: [truncated]),
            s2c: DirectionReport(timeline: DirectionTimeline(direction: .serverToClient, proto: .udp), observations: [])
        )
    }

    /// tcp.2 of a plain capture: segments only, RESP-like lines with a hostile summary, a retransmission, a gap.
    static var plainCaptureFlow: FlowReport {
        var c2s = DirectionTimeline(direction: .clientToServer, proto: .tcp)
        c2s.segments = [
            segment(0..<40, 60.0, frame: 30), segment(40..<120, 60.5, frame: 31),
            segment(40..<120, 260.5, frame: 33, marks: [.retransmission]), segment(120..<160, 261.0, frame: 34),
            segment(200..<260, 262.0, frame: 36, marks: [.ahead]),
        ]
        c2s.gaps = [160..<200]
        let lines: [(Range<UInt64>, String)] = [
            (0..<26, "<script>alert(1)</script>\\n"), (26..<60, "SET foo bar\\n"), (60..<120, "GET foo\\n"),
            (120..<190, "GET \"quoted\" & 'x'\\n"), (190..<260, "PING\\n"),
        ]
        c2s.messages = lines.enumerated().map { index, line in
            MessageRange(range: line.0, isComplete: index != 3, summary: line.1, time: at(60))
        }
        c2s.messageSource = .framing(.line)
        c2s.bytes = 260
        let coalesced = Observation(
            kind: .coalesced, layer: .segment, cause: .senderCoalescing, messageRange: 0..<2, range: 0..<40, time: at(60),
            evidence: .segmentCarried(bytes: 40, frame: 30, time: at(60), writes: .notObserved))
        let incomplete = Observation(
            kind: .incomplete, layer: .message, cause: .captureGap, messageRange: 3..<4, range: 120..<190, time: at(261),
            evidence: .incomplete(bytesSeen: 40, gap: 160..<200), facts: [.captureGap(160..<200), .retransmissions(1)])
        var s2c = DirectionTimeline(direction: .serverToClient, proto: .tcp)
        s2c.segments = [segment(0..<5, 60.2, frame: 32)]
        s2c.messages = [MessageRange(range: 0..<5, summary: "+OK\\r\\n", time: at(60.2))]
        s2c.messageSource = .framing(.line)
        s2c.bytes = 5
        return flow(
            "tcp.2",
            .tcp,
            connection: nil,
            leg: nil,
            "10.0.0.7:53122",
            "10.0.0.1:6379",
            c2s: DirectionReport(timeline: c2s, observations: [coalesced, incomplete]),
            s2c: DirectionReport(timeline: s2c, observations: [])
        )
    }

    static var report: BoundaryReport {
        BoundaryReport(
            file: "captures/sample<1>.pcapng",
            framing: .both(.line),
            whatIfRecvSize: nil,
            layers: [.send, .segment, .recv],
            flows: [coalescedFlow, splitFlow, udpFlow, plainCaptureFlow],
            notes: [.plainCapture, .capture(.notIP(count: 2))],
            failure: nil,
            captureDrops: 3
        )
    }

    /// One direction with `count` 100-byte segments and no messages.
    /// With `allLanes`, also `count` 100-byte messages, sends of 100 bytes shifted by 50 and 200-byte reads, so
    /// every lane is full and every send and read crosses a message boundary.
    static func hugeReport(segments count: Int, findings: Int = 0, allLanes: Bool = false) -> BoundaryReport {
        var c2s = DirectionTimeline(direction: .clientToServer, proto: .tcp)
        c2s.segments = (0..<count).map { i in
            segment(UInt64(i) * 100..<UInt64(i + 1) * 100, Double(i) * 0.01, frame: i + 1)
        }
        c2s.bytes = UInt64(count) * 100
        if allLanes {
            c2s.messages = (0..<count).map { i in
                MessageRange(range: UInt64(i) * 100..<UInt64(i + 1) * 100, summary: "<m\(i)>")
            }
            c2s.messageSource = .framing(.fixed(size: 100))
            c2s.sends = (0..<count - 1).map { (i: Int) -> LayerRange in
                let low = UInt64(i) * 100 + 50
                return call(low..<low + 100, Double(i) * 0.01)
            }
            c2s.recvs = (0..<count / 2).map { (i: Int) -> LayerRange in
                let low = UInt64(i) * 200
                return call(low..<low + 200, Double(i) * 0.02 + 0.01)
            }
        }
        let list = (0..<findings).map { i in
            Observation(
                kind: .coalesced, layer: .segment, cause: .senderCoalescing, messageRange: i..<(i + 2),
                range: UInt64(i) * 100..<UInt64(i + 1) * 100, time: at(Double(i)),
                evidence: .segmentCarried(bytes: 100, frame: i + 1, time: at(Double(i)), writes: .notObserved))
        }
        let big = flow(
            "tcp.0",
            .tcp,
            connection: nil,
            leg: nil,
            "10.0.0.7:53122",
            "10.0.0.1:80",
            c2s: DirectionReport(timeline: c2s, observations: list),
            s2c: DirectionReport(timeline: DirectionTimeline(direction: .serverToClient, proto: .tcp), observations: [])
        )
        return BoundaryReport(
            file: "huge.pcap",
            framing: nil,
            whatIfRecvSize: nil,
            layers: [.segment],
            flows: [big],
            notes: [],
            failure: nil,
            captureDrops: nil
        )
    }
}
