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
                timeline.senderFINTime = state.finTime
                timeline.senderResetTime = state.resetTime
                timeline.acknowledged = state.acknowledged
                timeline.largestSegment = state.largestSegment
                if let last = state.receiverWindowLast { timeline.receiverWindowShrink = state.receiverWindowMax - last }
                if let framer = state.framer {
                    timeline.framingError = framer.misfitNote
                    if let spec = framer.spec, framer.misfitNote == nil {
                        timeline.messages = state.messages
                        timeline.messageSource = .framing(spec)
                        timeline.framingChoice = framer.mode
                        timeline.detectedFit = framer.fit
                    }
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
        // A proxied leg is named by the proxy's connection; a program's own connection (trace, watch: two sockets,
        // no connection number of their own) by its place among the file's legs, so each id is its own.
        let name = "conn\(leg.connection ?? index + 1)"
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
        let choice = options.framing[timeline.direction]
        if options.pairsRequests { timeline.declaredPairing = RequestPairing(isOneToOne: true) }
        if timeline.proto == .udp {
            let datagrams = timeline.messageSends ?? timeline.sends ?? timeline.segments ?? timeline.recvs ?? []
            timeline.messages = datagrams.map {
                MessageRange(range: $0.range, summary: summaries[$0.range.lowerBound], time: $0.time)
            }
            timeline.messageSource = .datagrams
        } else if timeline.framingChoice == .detected, let sends = timeline.messageSends {
            // The sender's own calls say where its messages end; an unasked detection does not overrule them.
            timeline.messages = Self.messages(of: sends, summaries: summaries)
            timeline.messageSource = .sendCalls
            timeline.framingChoice = nil
            timeline.detectedFit = nil
        } else if case .framing = timeline.messageSource {
            // Framed from the captured bytes.
        } else if case .spec(let spec)? = choice, spec.messageSource != .bytes {
            switch spec.messageSource {
            case .sendCalls:
                timeline.messages = Self.messages(of: timeline.messageSends ?? timeline.sends ?? [], summaries: summaries)
            case .segments:
                timeline.messages = timeline.freshSegments.map { MessageRange(range: $0.range, time: $0.time) }
            case .noMessages, .bytes:
                timeline.messages = []
            }
            timeline.messageSource = .framing(spec)
            timeline.framingChoice = .given
        } else if let choice, timeline.segments == nil, !payloads.isEmpty {
            frame(&timeline, choice: choice, payloads: payloads)
        } else if choice == nil, let sends = timeline.messageSends {
            timeline.messages = Self.messages(of: sends, summaries: summaries)
            timeline.messageSource = .sendCalls
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

    /// One message per call.
    private static func messages(of calls: [LayerRange], summaries: [UInt64: String]) -> [MessageRange] {
        calls.filter { !$0.range.isEmpty }.map {
            MessageRange(range: $0.range, summary: summaries[$0.range.lowerBound], time: $0.time)
        }
    }

    /// Frames the bytes the calls moved (a leg seen only through its calls), by the spec given or, for
    /// `auto`, by what detection picks with the sender's write calls known.
    private func frame(
        _ timeline: inout DirectionTimeline, choice: FramingChoice, payloads: [(offset: UInt64, bytes: [UInt8])]
    ) {
        let ordered = payloads.sorted { $0.offset < $1.offset }
        let spec: FramingSpec
        switch choice {
        case .spec(let given):
            spec = given
            timeline.framingChoice = .given
        case .auto:
            var detector = FramingDetector(direction: timeline.direction)
            for payload in ordered { detector.feed(payload.bytes[...], at: payload.offset) }
            for send in timeline.messageSends ?? timeline.sends ?? [] { detector.addSendEnd(send.range.upperBound) }
            guard let best = detector.finish().best else {
                timeline.framingError = "framing auto: no framing fits \(timeline.direction.rawValue)"
                return
            }
            spec = best.spec
            timeline.framingChoice = .auto
            timeline.detectedFit = best
        }
        var framer = MessageFramer(spec: spec, direction: timeline.direction)
        var framed: [FramedMessage] = []
        do {
            for payload in ordered { try framer.feed(payload.bytes[...], at: payload.offset, into: &framed) }
            try framer.finish(into: &framed)
        } catch {
            timeline.framingError = "framing \(spec) does not fit \(timeline.direction.rawValue) at byte \(error.offset): \(error.reason)"
            return
        }
        timeline.messages = framed.map { MessageRange($0, time: nil) }
        timeline.messageSource = .framing(spec)
    }
}
