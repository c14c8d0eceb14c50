import Testing

@testable import SeamCore

/// Each verdict rule on recorded calls: the buggy program gets its verdict, the correct one none.
@Suite struct VerdictRuleTests {
    static func t(_ ms: Double) -> Timestamp {
        Timestamp(nanoseconds: 1_700_000_000_000_000_000 + Int64(ms * 1_000_000))
    }

    /// A call range at `ms`, on `thread` when given.
    static func call(_ a: UInt64, _ b: UInt64, _ ms: Double, asked: Int? = nil, thread: UInt32? = nil) -> LayerRange {
        LayerRange(range: a..<b, time: t(ms), asked: asked, call: thread.map { CallDetail(thread: $0) })
    }

    static func direction(
        _ direction: Direction, sends: [LayerRange]?, recvs: [LayerRange]?, messages: [Range<UInt64>],
        segments: [LayerRange]? = nil, framing: FramingSpec? = nil
    ) -> DirectionTimeline {
        var timeline = DirectionTimeline(direction: direction, proto: .tcp)
        timeline.sends = sends
        timeline.recvs = recvs
        timeline.segments = segments
        timeline.messages = messages.map { MessageRange(range: $0, time: t(0)) }
        timeline.messageSource = framing.map { .framing($0) } ?? .sendCalls
        timeline.bytes = messages.last?.upperBound ?? 0
        return timeline
    }

    /// A flow whose client and server programs were both observed.
    static func flow(
        _ c2s: DirectionTimeline, _ s2c: DirectionTimeline, clientClosed: Double? = nil, serverClosed: Double? = nil,
        observed: Bool = true
    ) -> FlowTimeline {
        var client = FlowPeer(endpoint: Endpoint("127.0.0.1:40000")!)
        var server = FlowPeer(endpoint: Endpoint("127.0.0.1:9000")!)
        client.callsObserved = observed
        server.callsObserved = observed
        client.closeTime = clientClosed.map(t)
        server.closeTime = serverClosed.map(t)
        return FlowTimeline(
            id: "tcp.0", proto: .tcp, directions: DirectionPair(clientToServer: c2s, serverToClient: s2c),
            client: client, server: server)
    }

    // MARK: - acted-on-partial

    /// The seed's remote-command client: a 10 000-byte answer, one recv(1024), then the next command.
    @Test func theRemoteCommandClientActsOnPartOfTheAnswer() throws {
        let c2s = Self.direction(
            .clientToServer, sends: [Self.call(0, 5, 0), Self.call(5, 18, 20)], recvs: [Self.call(0, 5, 1), Self.call(5, 18, 21)],
            messages: [0..<5, 5..<18])
        let s2c = Self.direction(
            .serverToClient, sends: [Self.call(0, 10_000, 2), Self.call(10_000, 20_000, 22)],
            recvs: [Self.call(0, 1024, 10, asked: 1024), Self.call(1024, 2048, 30, asked: 1024)],
            messages: [0..<10_000, 10_000..<20_000])
        let verdicts = VerdictRules.verdicts(Self.flow(c2s, s2c, clientClosed: 40))
        let partial = try #require(verdicts.first { $0.kind == .actedOnPartial })
        #expect(partial.program == .client && partial.direction == .serverToClient && partial.message == 0)
        #expect(
            partial.evidence
                == .actedOnPartial(
                    messageBytes: 10_000, readBytes: 1024, partialReads: [1],
                    action: .wrote(message: 1, bytes: 13, time: Self.t(20), summary: nil), laterReads: [2],
                    restBytes: 8976))
        // And it closed with most of both answers unread.
        let stopped = try #require(verdicts.first { $0.kind == .stoppedReading })
        #expect(stopped.program == .client)
        guard case .stoppedReading(let unread?, _, _, let begun?, _) = stopped.evidence else {
            Issue.record("\(stopped.evidence)")
            return
        }
        #expect(unread == 20_000 - 2048 && begun.index == 0 && begun.bytesRead == 2048)
    }

    @Test func aClientThatLoopsUntilTheAnswerIsWholeGetsNoVerdict() {
        let c2s = Self.direction(
            .clientToServer, sends: [Self.call(0, 5, 0), Self.call(5, 18, 20)], recvs: [Self.call(0, 5, 1), Self.call(5, 18, 21)],
            messages: [0..<5, 5..<18])
        let s2c = Self.direction(
            .serverToClient, sends: [Self.call(0, 3000, 2), Self.call(3000, 6000, 22)],
            recvs: [
                Self.call(0, 1024, 10, asked: 1024), Self.call(1024, 2048, 11, asked: 1024),
                Self.call(2048, 3000, 12, asked: 1024), Self.call(3000, 6000, 30, asked: 4096),
            ],
            messages: [0..<3000, 3000..<6000])
        #expect(VerdictRules.verdicts(Self.flow(c2s, s2c, clientClosed: 40)).isEmpty)
    }

    @Test func anEchoServerPassingBytesOnAsTheyComeIsNotJudged() {
        // Line framing: the server reads "hel", writes "HEL" (no whole line), reads "lo\n", writes "LO\n".
        let c2s = Self.direction(
            .clientToServer, sends: [Self.call(0, 6, 0)], recvs: [Self.call(0, 3, 1, asked: 3), Self.call(3, 6, 3, asked: 3)],
            messages: [0..<6], framing: .line)
        let s2c = Self.direction(
            .serverToClient, sends: [Self.call(0, 3, 2), Self.call(3, 6, 4)], recvs: [Self.call(0, 6, 5)], messages: [0..<6],
            framing: .line)
        #expect(VerdictRules.verdicts(Self.flow(c2s, s2c, clientClosed: 9, serverClosed: 9)).isEmpty)
    }

    @Test func aPipeliningClientAnsweringTheReplyItCompletedIsNotJudged() {
        // One read returns the end of reply 0 and the start of reply 1; the client then sends request 2.
        let c2s = Self.direction(
            .clientToServer, sends: [Self.call(0, 4, 0), Self.call(4, 8, 0.1), Self.call(8, 12, 6)],
            recvs: [Self.call(0, 12, 7)], messages: [0..<4, 4..<8, 8..<12])
        let s2c = Self.direction(
            .serverToClient, sends: [Self.call(0, 100, 1), Self.call(100, 200, 2)],
            recvs: [Self.call(0, 150, 5), Self.call(150, 200, 8)], messages: [0..<100, 100..<200])
        #expect(VerdictRules.verdicts(Self.flow(c2s, s2c, clientClosed: 9)).filter { $0.kind == .actedOnPartial }.isEmpty)
    }

    @Test func aWriteOfAnotherThreadIsNotAnActionOnTheRead() {
        let c2s = Self.direction(
            .clientToServer, sends: [Self.call(0, 5, 0, thread: 2), Self.call(5, 18, 20, thread: 2)],
            recvs: [Self.call(0, 18, 21)], messages: [0..<5, 5..<18])
        let s2c = Self.direction(
            .serverToClient, sends: [Self.call(0, 10_000, 2)],
            recvs: [Self.call(0, 1024, 10, asked: 1024, thread: 1), Self.call(1024, 10_000, 30, thread: 1)],
            messages: [0..<10_000])
        #expect(VerdictRules.verdicts(Self.flow(c2s, s2c, clientClosed: 40)).isEmpty)
    }

    @Test func theProxysOwnReadsAreNeverJudged() {
        let c2s = Self.direction(
            .clientToServer, sends: [Self.call(0, 5, 0), Self.call(5, 18, 20)], recvs: [Self.call(0, 5, 1)],
            messages: [0..<5, 5..<18])
        let s2c = Self.direction(
            .serverToClient, sends: [Self.call(0, 10_000, 2)], recvs: [Self.call(0, 1024, 10, asked: 1024)],
            messages: [0..<10_000])
        var flow = Self.flow(c2s, s2c, clientClosed: 40)
        flow.client.role = .proxy
        #expect(VerdictRules.verdicts(flow).isEmpty)
    }

    // MARK: - stopped-reading from the capture alone

    @Test func aResetWithAWindowThatNeverReopenedIsStoppedReading() throws {
        var s2c = Self.direction(.serverToClient, sends: nil, recvs: nil, messages: [], segments: [Self.call(0, 20_000, 1)])
        s2c.messageSource = .unknown
        s2c.bytes = 20_000
        s2c.receiverWindowShrink = 9216
        var c2s = Self.direction(.clientToServer, sends: nil, recvs: nil, messages: [], segments: [Self.call(0, 5, 0)])
        c2s.senderResetTime = Self.t(5)
        let flow = Self.flow(c2s, s2c, observed: false)
        let verdict = try #require(VerdictRules.verdicts(flow).first)
        #expect(verdict.kind == .stoppedReading && verdict.program == .client)
        #expect(ReportWords.summary(verdict).contains("at least 9216 of the 20000 bytes"))
    }

    @Test func aResetAfterEverythingWasReadIsNotJudged() {
        // A browser dropping a finished connection: the window had reopened.
        var s2c = Self.direction(.serverToClient, sends: nil, recvs: nil, messages: [], segments: [Self.call(0, 20_000, 1)])
        s2c.bytes = 20_000
        s2c.receiverWindowShrink = 0
        var c2s = Self.direction(.clientToServer, sends: nil, recvs: nil, messages: [], segments: [Self.call(0, 5, 0)])
        c2s.senderResetTime = Self.t(5)
        #expect(VerdictRules.verdicts(Self.flow(c2s, s2c, observed: false)).isEmpty)
    }

    // MARK: - unanswered

    @Test func aServerAnsweringTwoCoalescedRequestsOnceIsUnanswered() throws {
        let c2s = Self.direction(
            .clientToServer, sends: [Self.call(0, 14, 0), Self.call(14, 28, 0.05)], recvs: [Self.call(0, 28, 1, asked: 1024)],
            messages: [0..<14, 14..<28], framing: .resp)
        let s2c = Self.direction(
            .serverToClient, sends: [Self.call(0, 5, 2)], recvs: [Self.call(0, 5, 3)], messages: [0..<5], framing: .resp)
        let verdict = try #require(VerdictRules.verdicts(Self.flow(c2s, s2c, clientClosed: 1000)).first)
        #expect(verdict.kind == .unanswered && verdict.program == .server && verdict.message == 1)
        guard case .unanswered(let requests, let answers, let shared, _) = verdict.evidence else { return }
        #expect(requests == 1..<2 && answers == 1 && shared == 1)
    }

    @Test func pipelinedRequestsAnsweredEachGetNoVerdict() {
        let c2s = Self.direction(
            .clientToServer, sends: [Self.call(0, 28, 0)], recvs: [Self.call(0, 28, 1, asked: 1024)],
            messages: [0..<14, 14..<28], framing: .resp)
        let s2c = Self.direction(
            .serverToClient, sends: [Self.call(0, 10, 2)], recvs: [Self.call(0, 10, 3)], messages: [0..<5, 5..<10],
            framing: .resp)
        #expect(VerdictRules.verdicts(Self.flow(c2s, s2c, clientClosed: 1000)).isEmpty)
    }

    @Test func withoutPairingAMissingAnswerIsNotJudged() {
        let c2s = Self.direction(
            .clientToServer, sends: [Self.call(0, 14, 0), Self.call(14, 28, 0.05)], recvs: [Self.call(0, 28, 1, asked: 1024)],
            messages: [0..<14, 14..<28], framing: .line)
        let s2c = Self.direction(
            .serverToClient, sends: [Self.call(0, 5, 2)], recvs: [Self.call(0, 5, 3)], messages: [0..<5], framing: .line)
        #expect(VerdictRules.verdicts(Self.flow(c2s, s2c, clientClosed: 1000)).isEmpty)
    }

    // MARK: - partial-send

    @Test func aShortSendNeverRetriedIsAPartialSend() throws {
        let c2s = Self.direction(
            .clientToServer, sends: [Self.call(0, 32_741, 0, asked: 49_152), Self.call(32_741, 32_746, 10, asked: 5)],
            recvs: nil, messages: [0..<49_152])
        let s2c = Self.direction(.serverToClient, sends: nil, recvs: nil, messages: [])
        let verdict = try #require(VerdictRules.verdicts(Self.flow(c2s, s2c)).first)
        #expect(verdict.kind == .partialSend && verdict.program == .client)
        #expect(verdict.evidence == .partialSend(asked: 49_152, accepted: 32_741, unwritten: 16_411, nextAsked: 5))
    }

    @Test func sendallRetryingTheRestIsCorrect() {
        let c2s = Self.direction(
            .clientToServer,
            sends: [Self.call(0, 32_741, 0, asked: 49_152), Self.call(32_741, 32_741, 5, asked: 16_411),
                Self.call(32_741, 49_152, 10, asked: 16_411)],
            recvs: nil, messages: [0..<49_152])
        let s2c = Self.direction(.serverToClient, sends: nil, recvs: nil, messages: [])
        #expect(VerdictRules.verdicts(Self.flow(c2s, s2c)).isEmpty)
    }

    // MARK: - truncated

    @Test func aRecvfromShorterThanItsDatagramIsTruncated() throws {
        var c2s = DirectionTimeline(direction: .clientToServer, proto: .udp)
        c2s.sends = [LayerRange(range: 0..<2000, time: Self.t(0))]
        c2s.recvs = [LayerRange(range: 0..<1024, time: Self.t(1), asked: 1024)]
        c2s.messages = [MessageRange(range: 0..<2000)]
        var flow = Self.flow(c2s, DirectionTimeline(direction: .serverToClient, proto: .udp))
        flow.proto = .udp
        let verdict = try #require(VerdictRules.verdicts(flow).first)
        #expect(verdict.kind == .truncated && verdict.program == .server)
        #expect(verdict.evidence == .truncated(asked: 1024, returned: 1024, datagramBytes: 2000))
        flow.directions.clientToServer.recvs = [LayerRange(range: 0..<2000, time: Self.t(1), asked: 65_507)]
        #expect(VerdictRules.verdicts(flow).isEmpty, "a buffer as large as the datagram is correct")
    }
}
