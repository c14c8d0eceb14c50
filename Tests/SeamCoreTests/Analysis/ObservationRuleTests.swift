import Testing

@testable import SeamCore

/// The observations of one direction (`BoundaryRule`, `DatagramRule`), with causes claimed only on proof.
@Suite struct ObservationRuleTests {
    static func t(_ ms: Double) -> Timestamp {
        Timestamp(nanoseconds: 1_700_000_000_000_000_000 + Int64(ms * 1_000_000))
    }
    static func r(_ a: UInt64, _ b: UInt64, _ ms: Double, asked: Int? = nil) -> LayerRange {
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

    @Test func twoSendsInOneSegmentAreCoalescedByTheSenderWithoutClaimingNagle() {
        let observations = BoundaryRule.observations(
            timeline(sends: [Self.r(0, 5, 0), Self.r(5, 9, 0.1)], segments: [Self.r(0, 9, 2)], recvs: [Self.r(0, 9, 50, asked: 10)]))
        #expect(observations.count == 1)
        #expect(observations[0].kind == .coalesced && observations[0].layer == .segment)
        #expect(observations[0].cause == .senderCoalescing)
        #expect(observations[0].messages == [0, 1] && observations[0].range == 0..<9)
        guard case .segmentCarried(_, _, _, .joined(let count, _, let reason))? = observations[0].evidence else {
            Issue.record("expected two joined writes: \(String(describing: observations[0].evidence))")
            return
        }
        #expect(count == 2 && reason == .unproven, "Nagle is not claimed without the kernel's state")
    }

    @Test func theKernelsStateAtTheSendProvesNagle() {
        var later = Self.r(5, 9, 0.1)
        later.call = CallDetail(
            thread: 1, kernel: KernelSocketState(noDelay: false, cork: false, packetsInFlight: 1, mss: 65483, congestionWindow: 10))
        let observations = BoundaryRule.observations(
            timeline(sends: [Self.r(0, 5, 0), later], segments: [Self.r(0, 9, 2)], recvs: nil))
        guard case .segmentCarried(_, _, _, .joined(_, _, .nagle(let inFlight)))? = observations.first?.evidence else {
            Issue.record("expected Nagle: \(observations)")
            return
        }
        #expect(inFlight == 1)
    }

    @Test func separateSegmentsReadTogetherLateAreReceiverBacklog() {
        let observations = BoundaryRule.observations(
            timeline(
                sends: [Self.r(0, 5, 0), Self.r(5, 9, 50)], segments: [Self.r(0, 5, 0), Self.r(5, 9, 50)],
                recvs: [Self.r(0, 9, 400, asked: 1024)]))
        #expect(observations.map(\.kind) == [.coalesced])
        #expect(observations[0].layer == .recv && observations[0].cause == .receiverBacklog)
        guard case .readReturned(_, _, _, let arrivals?)? = observations[0].evidence else {
            Issue.record("no arrivals")
            return
        }
        #expect(arrivals.waitedNanoseconds == 400_000_000, "from the first message whole (0 ms) to the read")
    }

    @Test func segmentsReadTogetherAtOnceAreNotABacklog() {
        // Both arrived within 50 µs and the read came 200 µs later: below the stated 1 ms threshold.
        let observations = BoundaryRule.observations(
            timeline(
                sends: [Self.r(0, 5, 0), Self.r(5, 9, 0.05)], segments: [Self.r(0, 5, 0), Self.r(5, 9, 0.05)],
                recvs: [Self.r(0, 9, 0.2, asked: 1024)]))
        #expect(observations.map(\.cause) == [.arrivedTogether])
    }

    @Test func aLongLineReadWithASmallBufferIsSplitByTheRecvBuffer() {
        let observations = BoundaryRule.observations(
            timeline(
                sends: [Self.r(0, 3000, 0)], segments: [Self.r(0, 3000, 0)],
                recvs: [Self.r(0, 1024, 1, asked: 1024), Self.r(1024, 2048, 2, asked: 1024), Self.r(2048, 3000, 3, asked: 1024)]))
        #expect(observations.count == 1)
        #expect(observations[0].kind == .split && observations[0].layer == .recv && observations[0].cause == .recvBuffer)
    }

    @Test func aReadBeforeTheRestArrivedIsAnEarlyReader() {
        let observations = BoundaryRule.observations(
            timeline(
                sends: [Self.r(0, 3000, 0)], segments: [Self.r(0, 1500, 0), Self.r(1500, 3000, 10)],
                recvs: [Self.r(0, 1500, 1, asked: 65536), Self.r(1500, 3000, 11, asked: 65536)], mss: 1500))
        #expect(observations.contains { $0.layer == .segment && $0.cause == .mss })
        let reads = observations.filter { $0.layer == .recv }
        #expect(reads.isEmpty, "the segment layer split it first")
        let onlyReads = BoundaryRule.observations(
            timeline(
                sends: nil, segments: nil, recvs: [Self.r(0, 1500, 1, asked: 65536), Self.r(1500, 3000, 11, asked: 65536)],
                messages: [0..<3000]))
        #expect(onlyReads.map(\.cause) == [.unexplained], "without arrivals the read cannot be called early")
    }

    @Test func aMessageLongerThanTheMSSIsSplitAtTheSegmentLayerByTheMSS() {
        let segments = stride(from: UInt64(0), to: 300_000, by: 65483).map { Self.r($0, min($0 + 65483, 300_000), 1) }
        let observations = BoundaryRule.observations(timeline(sends: [Self.r(0, 300_000, 0)], segments: segments, recvs: nil))
        #expect(observations.map(\.kind) == [.split])
        #expect(observations[0].layer == .segment && observations[0].cause == .mss)
    }

    @Test func segmentsBelowTheMSSAreNotCalledMSS() {
        // The issue's case: 32768 + 12240 with an MSS of 65495 is not the MSS, and no window fact says window.
        let observations = BoundaryRule.observations(
            timeline(
                sends: [Self.r(0, 45008, 0)], segments: [Self.r(0, 32768, 1), Self.r(32768, 45008, 2)], recvs: nil,
                mss: 65495))
        #expect(observations.map(\.cause) == [.unexplained])
        guard case .splitOverSegments(_, _, .oneSendSeveralSegments(let mss))? = observations.first?.evidence else {
            Issue.record("\(observations)")
            return
        }
        #expect(mss == 65495)
    }

    @Test func aSegmentStoppingAtTheWindowEdgeIsTheWindow() {
        var timeline = timeline(
            sends: [Self.r(0, 45008, 0)], segments: [Self.r(0, 32768, 1), Self.r(32768, 45008, 2)], recvs: nil, mss: 65495)
        timeline.windowEdges = [.init(time: Self.t(0.5), edge: 32768)]
        #expect(BoundaryRule.observations(timeline).map(\.cause) == [.window])
    }

    @Test func framedMessageWrittenInTwoWholeSendsIsASplitWrite() {
        let observations = BoundaryRule.observations(
            timeline(sends: [Self.r(0, 4, 0), Self.r(4, 10, 1)], segments: nil, recvs: nil, messages: [0..<10]))
        #expect(observations.map(\.cause) == [.splitWrite])
    }

    @Test func framedMessageWrittenInTwoSendsIsAPartialSend() {
        var short = Self.r(0, 4, 0)
        short.asked = 10
        let observations = BoundaryRule.observations(
            timeline(sends: [short, Self.r(4, 10, 1)], segments: nil, recvs: nil, messages: [0..<10]))
        #expect(observations.map(\.cause) == [.partialSend] && observations[0].layer == .send)
        guard case .splitOverSends(_, _, let shortSend?)? = observations[0].evidence else {
            Issue.record("no short send")
            return
        }
        #expect(shortSend.accepted == 4 && shortSend.asked == 10)
    }

    @Test func respectedBoundariesGiveNoObservation() {
        let observations = BoundaryRule.observations(
            timeline(
                sends: [Self.r(0, 8, 0), Self.r(8, 16, 1)], segments: [Self.r(0, 8, 0), Self.r(8, 16, 1)],
                recvs: [Self.r(0, 8, 2, asked: 8), Self.r(8, 16, 3, asked: 8)]))
        #expect(observations.isEmpty)
    }

    @Test func unobservedLayersAreSkippedNotGuessed() {
        let observations = BoundaryRule.observations(
            timeline(sends: nil, segments: nil, recvs: [Self.r(0, 9, 5, asked: 10)], messages: [0..<5, 5..<9]))
        #expect(observations.map(\.layer) == [.recv])
        #expect(observations[0].cause == .unexplained, "no arrivals observed, so no backlog claimed")
    }

    @Test func incompleteMessageIsNoted() {
        var timeline = timeline(sends: nil, segments: [Self.r(0, 7, 0)], recvs: nil, messages: [0..<7])
        timeline.messages[0].isComplete = false
        let observations = BoundaryRule.observations(timeline)
        #expect(observations.map(\.kind) == [.incomplete] && observations[0].cause == .endOfStream)
    }

    @Test func retransmittedSegmentsDoNotCountAsRanges() {
        var retransmission = Self.r(0, 9, 3)
        retransmission.marks = .retransmission
        let observations = BoundaryRule.observations(
            timeline(
                sends: [Self.r(0, 5, 0), Self.r(5, 9, 1)], segments: [Self.r(0, 5, 0), Self.r(5, 9, 1), retransmission],
                recvs: nil))
        #expect(observations.isEmpty)
    }

    @Test func datagramLossDuplicationAndReordering() {
        var timeline = DirectionTimeline(direction: .clientToServer, proto: .udp)
        func d(_ index: Int, _ length: UInt64, hash: UInt64) -> LayerRange {
            LayerRange(range: UInt64(index) * 10_000..<(UInt64(index) * 10_000 + length), time: Self.t(Double(index)), payloadHash: hash)
        }
        timeline.sends = [d(0, 100, hash: 11), d(1, 100, hash: 22), d(2, 100, hash: 33), d(3, 100, hash: 44)]
        timeline.recvs = [d(0, 100, hash: 11), d(2, 100, hash: 33), d(1, 100, hash: 22), d(2, 100, hash: 33), d(3, 100, hash: 44)]
        timeline.messages = timeline.sends!.map { MessageRange(range: $0.range) }
        let kinds = DatagramRule.observations(timeline, whatIfRecvSize: nil, emulatedTruncation: nil).map(\.kind)
        #expect(kinds.contains(.reordered) && kinds.contains(.duplicated) && !kinds.contains(.lost))
        #expect(!kinds.contains(.truncated), "a program's truncated read is a verdict, not an observation")
    }

    @Test func whatIfRecvfromSizeOnPlainDatagrams() {
        var timeline = DirectionTimeline(direction: .clientToServer, proto: .udp)
        timeline.segments = [LayerRange(range: 0..<2000, time: Self.t(0)), LayerRange(range: 2000..<2500, time: Self.t(1))]
        let observations = DatagramRule.observations(timeline, whatIfRecvSize: 1024, emulatedTruncation: nil)
        #expect(observations.count == 1 && observations[0].isWhatIf)
        #expect(observations[0].evidence == .wouldTruncate(asked: 1024, datagramBytes: 2000))
    }

    @Test func theProxysUDPRecvSizeIsAWhatIfUnlessItTruncates() {
        var timeline = DirectionTimeline(direction: .clientToServer, proto: .udp)
        var read = LayerRange(range: 0..<2000, time: Self.t(0), asked: 1024)
        read.truncatedBytes = 976
        timeline.recvs = [read]
        let whatIf = DatagramRule.observations(timeline, whatIfRecvSize: nil, emulatedTruncation: .whatIf)
        #expect(whatIf.map(\.isWhatIf) == [true] && whatIf[0].cause == .recvfromSize)
        let real = DatagramRule.observations(timeline, whatIfRecvSize: nil, emulatedTruncation: .real)
        #expect(real.map(\.isWhatIf) == [false] && real[0].cause == .rechunk)
    }
}
