/// What the analysis holds while it reads: the calls, and the reports of the flows that have closed.
struct AnalysisState {
    let options: ReportOptions
    let settings: SessionSettings?
    var calls = CallLayers()
    var unreadableCalls = 0
    /// Reports made as flows closed, held by reference until the report is put together.
    var closedFlows: [FlowID: ClosedFlow] = [:]
    var briefObservations = 0
    /// Flows that closed before any call record was read.
    var flowsClosedBeforeCalls = 0
    /// Legs whose captured flow (or whose calls alone) have been reported.
    var reportedLegs = Set<Int>()
    /// Reports of calls-only legs made before the end, in the order they closed.
    var closedLegReports: [FlowReport] = []

    init(options: ReportOptions, settings: SessionSettings?) {
        self.options = options
        self.settings = settings
    }

    var assembly: FlowAssembly { FlowAssembly(options: options, calls: calls, settings: settings) }

    /// Makes and keeps the report of a flow that closed and went quiet; returns it (`nil` when not picked, or
    /// when `pool` makes it: then it is in `closedFlows` once the pool has been waited for).
    mutating func flowClosed(
        _ flow: FlowState, _ layers: LayerCollector.FlowLayers, pool: AnalysisPool? = nil
    ) -> FlowReport? {
        if calls.isEmpty { flowsClosedBeforeCalls += 1 }
        let leg = calls.leg(client: flow.client, server: flow.server, proto: flow.proto)
        if let leg { reportedLegs.insert(leg.0) }
        if let picked = options.flows, !picked.contains(flow.id.description) { return nil }
        let closed = ClosedFlow()
        closedFlows[flow.id] = closed
        guard let pool else {
            closed.make(flow, layers, leg: leg, assembly: assembly)
            briefObservations += closed.briefObservations
            closed.isCounted = true
            return closed.report
        }
        // The worker gets a copy of what it reads: the flow table goes on changing the flow itself.
        let work = HandedOver(value: (flow.snapshot(), layers, leg, assembly, closed))
        pool.run {
            let (flow, layers, leg, assembly, closed) = work.value
            closed.make(flow, layers, leg: leg, assembly: assembly)
        }
        return nil
    }

    /// After the pool has run: the brief observations of the flows it made, and the late resets noted meanwhile.
    mutating func collectPooled() {
        for closed in closedFlows.values where !closed.isCounted {
            briefObservations += closed.briefObservations
            closed.isCounted = true
            for (time, side) in closed.lateResets { closed.report?.noteLateReset(at: time, by: side) }
            closed.lateResets = []
        }
    }

    /// Reports of the legs seen only through their calls whose every side closed before `time` less a quarter
    /// second, and whose endpoints no captured flow has (those are reported with their flow).
    mutating func closedCallLegs(before time: Timestamp, table: FlowTable) -> [FlowReport] {
        var reports: [FlowReport] = []
        for index in calls.legs.indices where !reportedLegs.contains(index) {
            let leg = calls.legs[index]
            let sides = leg.programSides.union(leg.proxySide.map { [$0] } ?? [])
            guard !sides.isEmpty, sides.allSatisfy({ leg.closeTimes[$0] != nil }),
                let closed = sides.compactMap({ leg.closeTimes[$0] }).max(),
                time.nanoseconds - closed.nanoseconds >= LayerCollector.quietTime,
                !table.hasFlow(leg.key.client, leg.key.server, leg.key.proto)
            else { continue }
            reportedLegs.insert(index)
            let report = assembly.flowReport(leg: index)
            if let picked = options.flows, !picked.contains(report.id) { continue }
            closedLegReports.append(report)
            reports.append(report)
        }
        return reports
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
            if let closed = closedFlows.removeValue(forKey: flow.id), let report = closed.report {
                flows.append(report)
                continue
            }
            if let picked = options.flows, !picked.contains(flow.id.description) { continue }
            var report = assembly.flowReport(flow, layers: collector.flows[flow.id], leg: leg)
            if options.flows == nil && flows.count >= BoundaryReport.HTMLLimits.flowCap { report.dropRangesIfLarge() }
            briefObservations += report.limitDetails(position: flows.count, options: options)
            flows.append(report)
        }
        for var report in closedLegReports {
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
/// that holds thousands of them then grows by pointers, not by whole reports. With an `AnalysisPool` a worker
/// fills `report` and `briefObservations`; the reading thread reads them only after waiting for the pool, and
/// meanwhile notes late resets in `lateResets`.
final class ClosedFlow {
    var report: FlowReport?
    var briefObservations = 0
    var isCounted = false
    var lateResets: [(Timestamp, Side?)] = []

    /// The flow's report, with the details limited by its place in the report.
    func make(_ flow: FlowState, _ layers: LayerCollector.FlowLayers, leg: (Int, reversed: Bool)?, assembly: FlowAssembly) {
        var report = assembly.flowReport(flow, layers: layers, leg: leg)
        let options = assembly.options
        // Past the flows the HTML draws, a long lane is only counted (picked flows are all drawn).
        if options.flows == nil && layers.position >= BoundaryReport.HTMLLimits.flowCap {
            report.dropRangesIfLarge()
        }
        briefObservations = report.limitDetails(position: layers.position, options: options)
        self.report = report
    }
}
