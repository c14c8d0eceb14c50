/// Puts one flow's layers together: the captured segments and framed messages, its leg's calls, and who each
/// side is; then applies the rules (observations, delivery records, verdicts).
struct FlowAssembly {
    let options: ReportOptions
    let calls: CallLayers
    let settings: SessionSettings?

    /// A captured flow, with the calls of its leg if the session has them.
    func flowReport(_ flow: FlowState, layers: LayerCollector.FlowLayers?, leg: (Int, reversed: Bool)?) -> FlowReport {
        let callLeg = leg.map { calls.legs[$0.0] }
        let reversed = leg?.reversed ?? false
        let timelines = DirectionPair { direction -> DirectionTimeline in
            let callDirection = reversed ? direction.reversed : direction
            var timeline = DirectionTimeline(direction: direction, proto: flow.proto)
            if let state = layers?.directions[direction] {
                timeline.segments = state.segments
                timeline.gaps = state.gaps
                timeline.windowEdges = state.windowEdges
                timeline.zeroWindowTimes = state.zeroWindowTimes
                timeline.bytes = state.bytes
                timeline.framingError = state.framingError
                timeline.senderFINTime = state.finTime
                timeline.senderResetTime = state.resetTime
                timeline.acknowledged = state.acknowledged
                timeline.largestSegment = state.largestSegment
                if let last = state.receiverWindowLast { timeline.receiverWindowShrink = state.receiverWindowMax - last }
                if options.framing != nil && flow.proto == .tcp {
                    timeline.messages = state.messages
                    timeline.messageSource = .framing(options.framing!)
                }
                timeline.firstBytes = state.firstBytes
            }
            timeline.resetTime = layers?.resetTime
            timeline.resetSide = layers?.resetSide
            timeline.senderMSS = flow.statistics(direction.reversed).maximumSegmentSize
            if let mss = timeline.senderMSS, timeline.largestSegment > mss { timeline.sawSuperSegments = true }
            var summaries: [UInt64: String] = [:]
            if let leg, let callLeg {
                timeline.sends = callLeg.sends[callDirection]
                timeline.recvs = callLeg.recvs[callDirection]
                summaries = callLeg.summaries[callDirection]
                if let original = calls.messageSends(of: leg.0, callDirection) {
                    timeline.messageSends = original.sends
                    summaries.merge(original.summaries) { _, theirs in theirs }
                }
            }
            return finish(timeline, summaries: summaries, payloads: [])
        }
        var client = callLeg?.peer(reversed ? .server : .client) ?? FlowPeer(endpoint: flow.client)
        var server = callLeg?.peer(reversed ? .client : .server) ?? FlowPeer(endpoint: flow.server)
        client.endpoint = flow.client
        server.endpoint = flow.server
        return report(
            id: flow.id.description, proto: flow.proto, connection: callLeg?.connection, leg: callLeg?.leg,
            client: client, server: server, clientIsGuessed: flow.clientIsGuessed, start: flow.firstTime,
            timelines: timelines)
    }

    /// A leg seen only through its calls (nothing captured).
    func flowReport(leg index: Int) -> FlowReport {
        let leg = calls.legs[index]
        let timelines = DirectionPair { direction -> DirectionTimeline in
            var timeline = DirectionTimeline(direction: direction, proto: leg.key.proto)
            timeline.sends = leg.sends[direction]
            timeline.recvs = leg.recvs[direction]
            var summaries = leg.summaries[direction]
            if let original = calls.messageSends(of: index, direction) {
                timeline.messageSends = original.sends
                summaries.merge(original.summaries) { _, theirs in theirs }
            }
            let ends = (leg.sends[direction] ?? []).map(\.range.upperBound) + (leg.recvs[direction] ?? []).map(\.range.upperBound)
                + (timeline.messageSends ?? []).map(\.range.upperBound)
            timeline.bytes = ends.max() ?? 0
            return finish(timeline, summaries: summaries, payloads: leg.payloads[direction])
        }
        let name = leg.connection.map { "conn\($0)" } ?? "conn"
        return report(
            id: "\(name).\(leg.leg.rawValue)", proto: leg.key.proto, connection: leg.connection, leg: leg.leg,
            client: leg.peer(.client), server: leg.peer(.server), clientIsGuessed: false, start: leg.firstTime,
            timelines: timelines)
    }

    private func report(
        id: String, proto: Transport, connection: Int?, leg: Leg?, client: FlowPeer, server: FlowPeer,
        clientIsGuessed: Bool, start: Timestamp?, timelines: DirectionPair<DirectionTimeline>
    ) -> FlowReport {
        let flow = FlowTimeline(id: id, proto: proto, directions: timelines, client: client, server: server)
        let directions = DirectionPair { direction -> DirectionReport in
            let timeline = timelines[direction]
            let observations =
                proto == .udp
                ? DatagramRule.observations(
                    timeline, whatIfRecvSize: options.recvSize,
                    emulatedTruncation: flow[direction.receiver].role == .proxy ? emulatedTruncation : nil)
                : BoundaryRule.observations(timeline)
            var reported = timeline
            reported.windowEdges = []  // they served the rules only; no renderer draws them
            return DirectionReport(
                timeline: reported, observations: observations, deliveries: DeliveryRule.deliveries(timeline))
        }
        return FlowReport(
            id: id, proto: proto, connection: connection, leg: leg, clientPeer: client, serverPeer: server,
            clientIsGuessed: clientIsGuessed, start: start, clientToServer: directions.clientToServer,
            serverToClient: directions.serverToClient, verdicts: VerdictRules.verdicts(flow))
    }

    /// The proxy's UDP `--recv-size`: a what-if unless it really cut the datagrams (`--udp-truncate`).
    private var emulatedTruncation: DatagramRule.EmulatedTruncation {
        // `udp-truncate` (seam proxy), or `proxyN-udp-truncate` (the demo's proxies).
        let truncates = settings?.words.contains { $0.key.hasSuffix("udp-truncate") && $0.value == "yes" } ?? false
        return truncates ? .real : .whatIf
    }

    /// Messages where the framing did not give them, and the what-if reads.
    func finish(
        _ input: DirectionTimeline, summaries: [UInt64: String], payloads: [(offset: UInt64, bytes: [UInt8])]
    ) -> DirectionTimeline {
        var timeline = input
        if options.pairsRequests { timeline.declaredPairing = RequestPairing(isOneToOne: true) }
        if timeline.proto == .udp {
            let datagrams = timeline.messageSends ?? timeline.sends ?? timeline.segments ?? timeline.recvs ?? []
            timeline.messages = datagrams.map {
                MessageRange(range: $0.range, summary: summaries[$0.range.lowerBound], time: $0.time)
            }
            timeline.messageSource = .datagrams
        } else if let framing = options.framing, timeline.segments == nil, !payloads.isEmpty {
            var framer = MessageFramer(spec: framing)
            var framed: [FramedMessage] = []
            do {
                for payload in payloads.sorted(by: { $0.offset < $1.offset }) {
                    try framer.feed(payload.bytes[...], at: payload.offset, into: &framed)
                }
                try framer.finish(into: &framed)
            } catch {
                timeline.framingError = "\(error)"
            }
            timeline.messages = framed.map {
                MessageRange($0, time: nil)
            }
            timeline.messageSource = .framing(framing)
        } else if options.framing == nil, let sends = timeline.messageSends {
            timeline.messages = sends.filter { !$0.range.isEmpty }.map {
                MessageRange(range: $0.range, summary: summaries[$0.range.lowerBound], time: $0.time)
            }
            timeline.messageSource = .sendCalls
        } else if options.framing != nil && timeline.segments == nil {
            timeline.messageSource = .unknown
        }
        if let size = options.recvSize, timeline.recvs == nil, timeline.proto == .tcp, timeline.segments != nil {
            timeline.recvs = timeline.freshSegments.flatMap { segment -> [LayerRange] in
                stride(from: segment.range.lowerBound, to: segment.range.upperBound, by: size).map { start in
                    LayerRange(
                        range: start..<min(start + UInt64(size), segment.range.upperBound), time: segment.time,
                        asked: size)
                }
            }
            timeline.recvIsWhatIf = true
        }
        return timeline
    }
}
