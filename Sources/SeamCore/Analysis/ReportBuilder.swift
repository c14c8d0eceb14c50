/// Builds the report of a capture or session file: reads it once (streaming), puts sends, segments, recvs and
/// messages of every flow and direction on one byte axis, notes how the bytes were delivered, and judges the
/// programs.
///
/// Flows are analysed as they close: once a flow has closed and gone quiet (see `LayerCollector`), its
/// layers and its leg's calls become its report and are let go, so memory follows the open flows, not the
/// file. A session file is in timestamp order (`SessionWriter` writes it so), so a leg's calls have arrived
/// by the time its flow has been quiet for a quarter second. Legs without captured segments are reported at
/// the end.
public enum ReportBuilder {
    /// Reads `source`. Throws `CaptureFileError` when it cannot be opened or is not a capture; a fault later
    /// in the file ends reading there and is stated in the report's `failure`.
    public static func build(
        source: CaptureSource, options: ReportOptions = ReportOptions(), onProgress: ((Int, Int?) -> Void)? = nil
    ) throws -> BoundaryReport {
        let table = FlowTable()
        let scanner = CaptureScanner(reader: try CaptureFileReader(source: source), table: table)
        let settings = SessionReader.settings(of: scanner.reader)
        var options = options
        if options.framing == nil {
            options.framing = settings?["framing"].flatMap { try? FramingSpec(parsing: $0) }
        }
        let collector = LayerCollector(framing: options.framing)
        table.add(collector)
        var state = BuildState(options: options, settings: settings)

        if options.analysesFlowsAsTheyClose {
            collector.onFlowClosed = { flow, layers in state.flowClosed(flow, layers) }
            collector.onLateReset = { flow, time, side in state.closedFlows[flow.id]?.report.noteLateReset(at: time, by: side) }
        }
        scanner.onUpperPDU = { record in
            do {
                state.calls.add(try SessionCall.decode(record: record))
            } catch {
                state.unreadableCalls += 1
            }
        }
        scanner.onProgress = onProgress
        scanner.run()
        let flows = state.finish(table: table, collector: collector)

        var notes: [ReportNote] = []
        let captured = table.flows.contains { _ in true }
        if state.calls.isEmpty {
            notes.append(.plainCapture)
        } else if !captured {
            notes.append(.noSegments)
        }
        if !state.calls.isEmpty && !state.calls.legs.contains(where: { !$0.programSides.isEmpty }) {
            notes.append(.programsNotObserved)
        }
        if options.framing == nil && flows.contains(where: { flow in
            [flow.clientToServer, flow.serverToClient].contains { $0.timeline.messageSource == .unknown && !$0.isEmpty }
        }) {
            notes.append(.messagesUnknown)
        }
        if state.unreadableCalls > 0 { notes.append(.unreadableCalls(state.unreadableCalls)) }
        if state.briefObservations > 0 {
            notes.append(
                .briefObservations(
                    count: state.briefObservations, flows: options.detailedFlows,
                    perDirection: options.detailedFindingsPerDirection))
        }
        if collector.lateSegments > 0 {
            notes.append(.lateSegments(count: collector.lateSegments, newBytes: collector.lateBytes))
        }
        if state.flowsClosedBeforeCalls > 0 && !state.calls.isEmpty {
            notes.append(.callsAfterFlowsClosed(state.flowsClosedBeforeCalls))
        }
        notes += CaptureNote.notes(for: table).map(ReportNote.capture)
        if let settings { notes.append(.session(settings)) }
        var layers: [Layer] = []
        for layer in [Layer.send, .segment, .datagram, .recv] {
            let seen = flows.contains { flow in
                [flow.clientToServer, flow.serverToClient].contains { $0.timeline.observedLayers.contains(layer) }
            }
            if seen { layers.append(layer) }
        }
        return BoundaryReport(
            file: source.name, framing: options.framing, whatIfRecvSize: options.recvSize, layers: layers, flows: flows,
            notes: notes, failure: scanner.failure?.description,
            captureDrops: scanner.reader.interfaceDrops.isEmpty ? nil : scanner.reader.interfaceDrops.values.reduce(0, +))
    }

    /// Reads `path` (`-`: standard input).
    public static func build(
        path: String, options: ReportOptions = ReportOptions(), onProgress: ((Int, Int?) -> Void)? = nil
    ) throws -> BoundaryReport {
        try build(source: .path(path), options: options, onProgress: onProgress)
    }
}

/// What the builder holds while it reads: the calls, and the reports of the flows that have closed.
private struct BuildState {
    let options: ReportOptions
    let settings: SessionSettings?
    var calls = CallLayers()
    var unreadableCalls = 0
    /// Reports made as flows closed, held by reference until the report is put together.
    var closedFlows: [FlowID: ClosedFlow] = [:]
    var briefObservations = 0
    /// Flows that closed before any call record was read.
    var flowsClosedBeforeCalls = 0
    /// Legs whose captured flow has been reported.
    var reportedLegs = Set<Int>()

    init(options: ReportOptions, settings: SessionSettings?) {
        self.options = options
        self.settings = settings
    }

    var assembly: FlowAssembly { FlowAssembly(options: options, calls: calls, settings: settings) }

    mutating func flowClosed(_ flow: FlowState, _ layers: LayerCollector.FlowLayers) {
        if calls.isEmpty { flowsClosedBeforeCalls += 1 }
        let leg = calls.leg(client: flow.client, server: flow.server, proto: flow.proto)
        if let leg { reportedLegs.insert(leg.0) }
        if let picked = options.flows, !picked.contains(flow.id.description) { return }
        var report = assembly.flowReport(flow, layers: layers, leg: leg)
        // Past the flows the HTML draws, a long lane is only counted (picked flows are all drawn).
        if options.flows == nil && layers.position >= BoundaryReport.HTMLLimits.flowCap {
            report.dropRangesIfLarge()
        }
        briefObservations += report.limitDetails(position: layers.position, options: options)
        closedFlows[flow.id] = ClosedFlow(report)
    }

    /// The flows in the flow table's order (then the legs the capture did not see), each analysed now if it
    /// was not when it closed.
    mutating func finish(table: FlowTable, collector: LayerCollector) -> [FlowReport] {
        var flows: [FlowReport] = []
        flows.reserveCapacity(table.flows.count + calls.legs.count)
        let assembly = self.assembly
        for flow in table.flows {
            let leg = calls.leg(client: flow.client, server: flow.server, proto: flow.proto)
            if let leg { reportedLegs.insert(leg.0) }
            if let closed = closedFlows.removeValue(forKey: flow.id) {
                flows.append(closed.report)
                continue
            }
            if let picked = options.flows, !picked.contains(flow.id.description) { continue }
            var report = assembly.flowReport(flow, layers: collector.flows[flow.id], leg: leg)
            if options.flows == nil && flows.count >= BoundaryReport.HTMLLimits.flowCap { report.dropRangesIfLarge() }
            briefObservations += report.limitDetails(position: flows.count, options: options)
            flows.append(report)
        }
        for index in calls.legs.indices where !reportedLegs.contains(index) {
            var report = assembly.flowReport(leg: index)
            if let picked = options.flows, !picked.contains(report.id) { continue }
            briefObservations += report.limitDetails(position: flows.count, options: options)
            flows.append(report)
        }
        return flows
    }
}

/// A flow's report made when it closed, held by reference until the report is put together: the dictionary
/// that holds thousands of them then grows by pointers, not by whole reports.
private final class ClosedFlow {
    var report: FlowReport
    init(_ report: FlowReport) { self.report = report }
}
