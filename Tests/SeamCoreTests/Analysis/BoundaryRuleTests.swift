import Testing

@testable import SeamCore

@Suite struct BoundaryRuleTests {
    static func t(_ ms: Int) -> Timestamp { Timestamp(nanoseconds: 1_700_000_000_000_000_000 + Int64(ms) * 1_000_000) }
    static func r(_ a: UInt64, _ b: UInt64, _ ms: Int, asked: Int? = nil) -> LayerRange {
        LayerRange(range: a..<b, time: t(ms), asked: asked)
    }

    func timeline(
        sends: [LayerRange]?, segments: [LayerRange]?, recvs: [LayerRange]?, messages: [Range<UInt64>]? = nil,
        mss: Int? = 65483
    ) -> DirectionTimeline {
        var timeline = DirectionTimeline(direction: .clientToServer, proto: .tcp)
        timeline.sends = sends
        timeline.segments = segments
        timeline.recvs = recvs
        timeline.senderMSS = mss
        let ranges = messages ?? (sends ?? []).map(\.range)
        timeline.messages = ranges.map { MessageRange(range: $0) }
        timeline.bytes = ranges.last?.upperBound ?? 0
        return timeline
    }

    @Test func twoSendsInOneSegmentAreCoalescedByTheSender() {
        let findings = BoundaryRule.findings(
            timeline(sends: [Self.r(0, 5, 0), Self.r(5, 9, 1)], segments: [Self.r(0, 9, 2)], recvs: [Self.r(0, 9, 50, asked: 10)]))
        #expect(findings.count == 1)
        #expect(findings[0].kind == .coalesced)
        #expect(findings[0].layer == .segment)
        #expect(findings[0].cause == .senderCoalescing)
        #expect(findings[0].messages == [0, 1])
        #expect(findings[0].range == 0..<9)
        #expect(findings[0].evidence.contains("2 send calls"))
    }

    @Test func separateSegmentsReadTogetherAreReceiverBacklog() {
        let findings = BoundaryRule.findings(
            timeline(
                sends: [Self.r(0, 5, 0), Self.r(5, 9, 50)], segments: [Self.r(0, 5, 0), Self.r(5, 9, 50)],
                recvs: [Self.r(0, 9, 400, asked: 1024)]))
        #expect(findings.map(\.kind) == [.coalesced])
        #expect(findings[0].layer == .recv)
        #expect(findings[0].cause == .receiverBacklog)
        #expect(findings[0].evidence.contains("400 ms after the first"))
    }

    @Test func aLongLineReadWithASmallBufferIsSplitByTheRecvBuffer() {
        let findings = BoundaryRule.findings(
            timeline(
                sends: [Self.r(0, 3000, 0)], segments: [Self.r(0, 3000, 0)],
                recvs: [Self.r(0, 1024, 1, asked: 1024), Self.r(1024, 2048, 2, asked: 1024), Self.r(2048, 3000, 3, asked: 1024)]))
        #expect(findings.count == 1)
        #expect(findings[0].kind == .split)
        #expect(findings[0].layer == .recv)
        #expect(findings[0].cause == .recvBuffer)
    }

    @Test func aMessageLongerThanTheMSSIsSplitAtTheSegmentLayer() {
        let segments = stride(from: UInt64(0), to: 300_000, by: 65483).map {
            Self.r($0, min($0 + 65483, 300_000), 1)
        }
        let findings = BoundaryRule.findings(timeline(sends: [Self.r(0, 300_000, 0)], segments: segments, recvs: nil))
        #expect(findings.map(\.kind) == [.split])
        #expect(findings[0].layer == .segment)
        #expect(findings[0].cause == .mss)
    }

    @Test func framedMessageWrittenInTwoWholeSendsIsASplitWrite() {
        let findings = BoundaryRule.findings(
            timeline(sends: [Self.r(0, 4, 0), Self.r(4, 10, 1)], segments: nil, recvs: nil, messages: [0..<10]))
        #expect(findings.map(\.cause) == [.splitWrite])
        #expect(findings[0].evidence.contains("each taken whole"))
    }

    @Test func framedMessageWrittenInTwoSendsIsAPartialSend() {
        var short = Self.r(0, 4, 0)
        short.asked = 10
        let findings = BoundaryRule.findings(
            timeline(sends: [short, Self.r(4, 10, 1)], segments: nil, recvs: nil, messages: [0..<10]))
        #expect(findings.map(\.cause) == [.partialSend])
        #expect(findings[0].layer == .send)
        #expect(findings[0].evidence.contains("accepted 4 of 10"))
    }

    @Test func respectedBoundariesGiveNoFinding() {
        let findings = BoundaryRule.findings(
            timeline(
                sends: [Self.r(0, 8, 0), Self.r(8, 16, 1)], segments: [Self.r(0, 8, 0), Self.r(8, 16, 1)],
                recvs: [Self.r(0, 8, 2, asked: 8), Self.r(8, 16, 3, asked: 8)]))
        #expect(findings.isEmpty)
    }

    @Test func unobservedLayersAreSkippedNotGuessed() {
        // Only reads: the coalescing shows at recv, and nothing is said of segments.
        let findings = BoundaryRule.findings(
            timeline(sends: nil, segments: nil, recvs: [Self.r(0, 9, 5, asked: 10)], messages: [0..<5, 5..<9]))
        #expect(findings.map(\.layer) == [.recv])
        #expect(findings[0].evidence.contains("recv(10)"))
    }

    @Test func incompleteMessageIsReported() {
        var timeline = timeline(sends: nil, segments: [Self.r(0, 7, 0)], recvs: nil, messages: [0..<7])
        timeline.messages[0].isComplete = false
        let findings = BoundaryRule.findings(timeline)
        #expect(findings.map(\.kind) == [.incomplete])
        #expect(findings[0].cause == .endOfStream)
    }

    @Test func retransmittedSegmentsDoNotCountAsRanges() {
        var retransmission = Self.r(0, 9, 3)
        retransmission.marks = .retransmission
        let findings = BoundaryRule.findings(
            timeline(sends: [Self.r(0, 5, 0), Self.r(5, 9, 1)], segments: [Self.r(0, 5, 0), Self.r(5, 9, 1), retransmission], recvs: nil))
        #expect(findings.isEmpty)
    }

    @Test func datagramTruncationLossDuplicationAndReordering() {
        var timeline = DirectionTimeline(direction: .clientToServer, proto: .udp)
        func d(_ index: Int, _ length: UInt64, hash: UInt64) -> LayerRange {
            LayerRange(range: UInt64(index) * 10_000..<(UInt64(index) * 10_000 + length), time: Self.t(index), payloadHash: hash)
        }
        timeline.sends = [d(0, 100, hash: 11), d(1, 100, hash: 22), d(2, 100, hash: 33), d(3, 100, hash: 44)]
        var truncated = d(1, 50, hash: 22)
        truncated.truncatedBytes = 50
        truncated.asked = 50
        timeline.recvs = [d(0, 100, hash: 11), d(2, 100, hash: 33), truncated, d(2, 100, hash: 33), d(3, 100, hash: 44)]
        timeline.messages = timeline.sends!.map { MessageRange(range: $0.range) }
        let findings = DatagramRule.findings(timeline, whatIfRecvSize: nil)
        let kinds = findings.map(\.kind)
        #expect(kinds.filter { $0 == .truncated }.count == 1)
        #expect(kinds.contains(.reordered))
        #expect(kinds.contains(.duplicated))
        #expect(!kinds.contains(.lost))
        #expect(findings.first { $0.kind == .truncated }?.evidence.contains("lost the last 50") == true)
    }

    @Test func whatIfRecvfromSizeOnPlainDatagrams() {
        var timeline = DirectionTimeline(direction: .clientToServer, proto: .udp)
        timeline.segments = [LayerRange(range: 0..<2000, time: Self.t(0)), LayerRange(range: 2000..<2500, time: Self.t(1))]
        let findings = DatagramRule.findings(timeline, whatIfRecvSize: 1024)
        #expect(findings.count == 1)
        #expect(findings[0].isWhatIf)
        #expect(findings[0].evidence.contains("lose the last 976"))
    }
}
