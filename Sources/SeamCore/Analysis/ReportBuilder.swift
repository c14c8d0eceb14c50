/// Builds the boundary report of a capture or session file: reads it once (streaming), puts sends,
/// segments, recvs and messages of every flow and direction on one byte axis, and applies the rule.
public enum ReportBuilder {
    /// Reads `path` (`-`: standard input). Throws `CaptureFileError` when the file cannot be opened or is not
    /// a capture; a fault later in the file ends reading there and is stated in the report's `failure`.
    public static func build(
        path: String, options: ReportOptions = ReportOptions(), onProgress: ((Int, Int?) -> Void)? = nil
    ) throws -> BoundaryReport {
        let table = FlowTable()
        let scanner = try CaptureScanner(path: path, table: table)
        var options = options
        if options.framing == nil { options.framing = sessionFraming(scanner.reader) }
        let collector = LayerCollector(framing: options.framing)
        table.add(collector)
        var calls = CallLayers()
        var undecodableCalls = 0

        // A plain capture has no calls to wait for: each flow is analysed as soon as its reassembly ends and
        // only its report is kept, so memory follows the open flows, not the file (a session's calls may be
        // recorded after its segments, so a session is analysed at the end).
        var closedFlows: [FlowID: ClosedFlow] = [:]
        var streamedFlows = 0
        var briefFindings = 0
        if options.analysesFlowsAsTheyClose && !isSession(scanner.reader) {
            let streamingAssembly = Assembly(options: options, calls: CallLayers())
            collector.onFlowClosed = { flow, layers in
                streamedFlows += 1
                if let picked = options.flows, !picked.contains(flow.id.description) { return }
                var report = streamingAssembly.flowReport(flow, layers: layers, leg: nil)
                // Past the flows the HTML draws, a long lane is only counted (picked flows are all drawn).
                if options.flows == nil && layers.position >= BoundaryReport.HTMLLimits.flowCap {
                    report.dropRangesIfLarge()
                }
                briefFindings += report.limitDetails(position: layers.position, options: options)
                closedFlows[flow.id] = ClosedFlow(report)
            }
            collector.onLateReset = { flow, time in
                closedFlows[flow.id]?.report.noteLateReset(at: time)
            }
        }
        scanner.onUpperPDU = { record in
            guard let call = try? SessionCall.decode(record: record) else {
                undecodableCalls += 1
                return
            }
            // Calls in a file without session settings: analyse the rest at the end, with them.
            collector.onFlowClosed = nil
            calls.add(call)
        }
        scanner.onProgress = onProgress
        scanner.run()

        let assembly = Assembly(options: options, calls: calls)
        var flows: [FlowReport] = []
        flows.reserveCapacity(table.flows.count + calls.legs.count)
        var usedLegs = Set<Int>()
        for flow in table.flows {
            if let closed = closedFlows.removeValue(forKey: flow.id) {
                flows.append(closed.report)
                continue
            }
            let leg = calls.leg(client: flow.client, server: flow.server, proto: flow.proto)
            if let leg { usedLegs.insert(leg.0) }
            if let picked = options.flows, !picked.contains(flow.id.description) { continue }
            var report = assembly.flowReport(flow, layers: collector.flows[flow.id], leg: leg)
            briefFindings += report.limitDetails(position: flows.count, options: options)
            flows.append(report)
        }
        for (index, leg) in calls.legs.enumerated() where !usedLegs.contains(index) {
            var report = assembly.flowReport(leg: leg)
            if let picked = options.flows, !picked.contains(report.id) { continue }
            briefFindings += report.limitDetails(position: flows.count, options: options)
            flows.append(report)
        }

        var notes: [String] = []
        let captured = table.flows.contains { _ in true }
        let hasCalls = !calls.legs.isEmpty
        if !hasCalls {
            notes.append("plain capture: send and recv calls were not observed, so only segments are compared")
        } else if !captured {
            notes.append("no segments in this file (capture was off or not permitted): the segment layer is missing")
        }
        if options.framing == nil && flows.contains(where: { flow in
            [flow.clientToServer, flow.serverToClient].contains { $0.timeline.messageSource == .unknown && !$0.isEmpty }
        }) {
            notes.append("messages unknown where no framing was given and the sender's calls were not observed: try --framing")
        }
        if undecodableCalls > 0 { notes.append("\(undecodableCalls) call records could not be read") }
        if briefFindings > 0 {
            notes.append(
                "\(briefFindings) findings after the first \(options.detailedFlows) flows (or the first "
                    + "\(options.detailedFindingsPerDirection) of a direction) are brief: --flow ID spells out a flow")
        }
        if collector.lateSegments > 0 {
            notes.append(
                "\(collector.lateSegments) segments (\(collector.lateBytes) new bytes) came after their flow had "
                    + "closed and gone quiet: not in this report")
        }
        if streamedFlows > 0 && hasCalls {
            notes.append("call records began after \(streamedFlows) flows had closed: those flows are shown without calls")
        }
        notes += FlowListing.notes(for: scanner)
        for comment in scanner.reader.sectionComments where comment.hasPrefix("seam-session") {
            notes.append("session: \((try? SessionSettings(parsing: comment))?.readable ?? comment)")
        }
        var layers: [Layer] = []
        for layer in [Layer.send, .segment, .datagram, .recv] {
            let seen = flows.contains { flow in
                [flow.clientToServer, flow.serverToClient].contains { $0.timeline.observedLayers.contains(layer) }
            }
            if seen { layers.append(layer) }
        }
        return BoundaryReport(
            file: path, framing: options.framing, whatIfRecvSize: options.recvSize, layers: layers, flows: flows,
            notes: notes, failure: scanner.failure?.description,
            captureDrops: scanner.reader.interfaceDrops.isEmpty ? nil : scanner.reader.interfaceDrops.values.reduce(0, +))
    }
}

extension ReportBuilder {
    /// Whether the file is a Seam session (its section says `seam-session`).
    static func isSession(_ reader: CaptureFileReader) -> Bool {
        reader.sectionComments.contains { $0.hasPrefix("seam-session") }
    }

    /// The framing a session file names in its settings (`seam proxy --framing`), used when none is given.
    static func sessionFraming(_ reader: CaptureFileReader) -> FramingSpec? {
        for comment in reader.sectionComments where comment.hasPrefix("seam-session") {
            if let text = (try? SessionSettings(parsing: comment))?["framing"],
                let spec = try? FramingSpec(parsing: text)
            {
                return spec
            }
        }
        return nil
    }
}

/// A flow's report made when it closed, held by reference until the report is put together: the dictionary
/// that holds thousands of them then grows by pointers, not by whole reports.
private final class ClosedFlow {
    var report: FlowReport
    init(_ report: FlowReport) { self.report = report }
}

/// Puts one flow's layers together.
private struct Assembly {
    let options: ReportOptions
    let calls: CallLayers

    /// A captured flow, with the calls of its leg if the session has them.
    func flowReport(_ flow: FlowState, layers: LayerCollector.FlowLayers?, leg: (Int, reversed: Bool)?) -> FlowReport {
        let callLeg = leg.map { calls.legs[$0.0] }
        func direction(_ direction: Direction) -> DirectionReport {
            let side = direction == .clientToServer ? 0 : 1
            let callSide = (leg?.reversed ?? false) ? 1 - side : side
            var timeline = DirectionTimeline(direction: direction, proto: flow.proto)
            if let state = layers?.directions[side] {
                timeline.segments = state.segments
                timeline.gaps = state.gaps
                timeline.windowEdges = state.windowEdges
                timeline.zeroWindowTimes = state.zeroWindowTimes
                timeline.bytes = state.bytes
                timeline.framingError = state.framingError
                if options.framing != nil && flow.proto == .tcp {
                    timeline.messages = state.messages
                    timeline.messageSource = .framing(options.framing!)
                }
                if !state.firstBytes.isEmpty { timeline.framingHints = FramingSpec.guess(firstBytes: state.firstBytes[...]) }
            }
            timeline.resetTime = layers?.resetTime
            timeline.senderMSS = flow.statistics(direction.reversed).maximumSegmentSize
            if let callLeg {
                timeline.sends = callLeg.sends[callSide]
                timeline.recvs = callLeg.recvs[callSide]
            }
            return finish(timeline, summaries: callLeg?.summaries[callSide] ?? [:], payloads: [])
        }
        return FlowReport(
            id: flow.id.description, proto: flow.proto, connection: callLeg?.connection,
            leg: callLeg?.name, client: flow.client, server: flow.server, clientIsGuessed: flow.clientIsGuessed,
            start: flow.firstTime, clientToServer: direction(.clientToServer), serverToClient: direction(.serverToClient))
    }

    /// A leg seen only through its calls (nothing captured).
    func flowReport(leg: CallLayers.Leg) -> FlowReport {
        func direction(_ direction: Direction) -> DirectionReport {
            let side = direction == .clientToServer ? 0 : 1
            var timeline = DirectionTimeline(direction: direction, proto: leg.key.proto)
            timeline.sends = leg.sends[side]
            timeline.recvs = leg.recvs[side]
            let ends = (leg.sends[side] ?? []).map(\.range.upperBound) + (leg.recvs[side] ?? []).map(\.range.upperBound)
            timeline.bytes = ends.max() ?? 0
            return finish(timeline, summaries: leg.summaries[side], payloads: leg.payloads[side])
        }
        let id = "conn\(leg.connection ?? 0).\(leg.name)"
        return FlowReport(
            id: id, proto: leg.key.proto, connection: leg.connection, leg: leg.name, client: leg.key.client,
            server: leg.key.server, clientIsGuessed: false, start: leg.firstTime,
            clientToServer: direction(.clientToServer), serverToClient: direction(.serverToClient))
    }

    /// Messages where the framing did not give them, the what-if reads, and the findings.
    func finish(
        _ input: DirectionTimeline, summaries: [UInt64: String], payloads: [(offset: UInt64, bytes: [UInt8])]
    ) -> DirectionReport {
        var timeline = input
        if timeline.proto == .udp {
            let datagrams = timeline.sends ?? timeline.segments ?? timeline.recvs ?? []
            timeline.messages = datagrams.map { MessageRange(range: $0.range, summary: summaries[$0.range.lowerBound], time: $0.time) }
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
            timeline.messages = framed.map { MessageRange(range: $0.range, isComplete: $0.isComplete, summary: $0.summary) }
            timeline.messageSource = .framing(framing)
        } else if options.framing == nil, let sends = timeline.sends {
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
        let findings =
            timeline.proto == .udp
            ? DatagramRule.findings(timeline, whatIfRecvSize: options.recvSize)
            : BoundaryRule.findings(timeline)
        // The window edges served the rule's evidence only; no renderer draws them.
        timeline.windowEdges = []
        return DirectionReport(timeline: timeline, findings: findings)
    }
}
