/// The analysis of a capture or session, fed one record at a time in file (time) order: packets go through
/// the decoder into the flow table and its `LayerCollector`, call records into `CallLayers`. Each flow is
/// analysed once it has closed and gone quiet (its report handed to `onFlowReport` and kept), a leg seen only
/// through its calls once every side of it has closed and a quarter second has passed; `finish()` analyses the
/// rest and puts the report together. `seam report` feeds it a file (`ReportBuilder`); `seam proxy` and
/// `seam trace` feed it their session as it is written, to print verdicts as soon as they are known.
///
/// Not thread-safe: one analyzer belongs to one thread.
public final class SessionAnalyzer {
    /// Called with each flow's report as soon as it is made (a flow closed and went quiet, or a calls-only leg
    /// closed), before `finish()`.
    public var onFlowReport: ((FlowReport) -> Void)?

    let options: ReportOptions
    let table = FlowTable()
    let collector: LayerCollector
    private var decoder = PacketDecoder()
    private var state: AnalysisState
    private var lastTime: Timestamp?
    /// Workers for closed flows (`ReportOptions.analysisWorkers`), while the file has shown no calls.
    private var pool: AnalysisPool?
    /// The connects that failed, for one note each (the first 20).
    private var failedConnects: [SessionCall] = []

    /// - Parameter settings: the session's settings, when it has them (the framing it names is used when
    ///   `options` has none; `pairing=yes`, as `seam demo` records it, declares request/response pairing).
    public init(options: ReportOptions, settings: SessionSettings?) {
        var options = options
        if options.framing.isEmpty, let settings {
            let named = try? FramingRequest(
                framing: settings["framing"], clientToServer: settings["framing-c2s"],
                serverToClient: settings["framing-s2c"])
            if let named { options.framing = named }
        }
        if settings?["pairing"] == "yes" { options.pairsRequests = true }
        self.options = options
        collector = LayerCollector(framing: options.framing, detectsUnframed: options.detectsUnframed)
        table.add(collector)
        state = AnalysisState(options: options, settings: settings)
        if options.analysesFlowsAsTheyClose {
            if options.analysisWorkers > 1 { pool = AnalysisPool(workers: options.analysisWorkers) }
            collector.onFlowClosed = { [unowned self] flow, layers in
                // A live analysis (`onFlowReport`) wants each report as it is made: no pool then.
                let pool = self.onFlowReport == nil ? self.pool : nil
                if let report = self.state.flowClosed(flow, layers, pool: pool) { self.onFlowReport?(report) }
            }
            collector.onLateReset = { [unowned self] flow, time, side in
                guard let closed = self.state.closedFlows[flow.id] else { return }
                if closed.isCounted {
                    closed.report?.noteLateReset(at: time, by: side)
                } else {
                    closed.lateResets.append((time, side))  // a worker may still be making the report
                }
            }
        }
    }

    /// One record of the file, in file order.
    public func add(_ record: PacketRecord) {
        if record.linkType == .wiresharkUpperPDU {
            do {
                add(call: try SessionCall.decode(record: record))
            } catch {
                state.unreadableCalls += 1
            }
        } else {
            table.process(decoder.decode(record), record: record)
            advance(to: record.timestamp)
        }
    }

    /// One call, in time order with the packets.
    public func add(call: SessionCall) {
        if call.kind == .error, call.failure?.operation == "connect", failedConnects.count < 20 {
            failedConnects.append(call)
        }
        // The workers read the calls (a copy each): with calls coming, the rest is analysed here.
        if let pool {
            pool.wait()
            state.collectPooled()
            self.pool = nil
        }
        state.calls.add(call)
        advance(to: call.timestamp)
    }

    /// Reports the calls-only legs whose every side has closed a quarter second before `time`.
    private func advance(to time: Timestamp) {
        guard options.analysesFlowsAsTheyClose else { return }
        if let last = lastTime, time.nanoseconds - last.nanoseconds < 50_000_000 { return }
        lastTime = time
        for report in state.closedCallLegs(before: time, table: table) { onFlowReport?(report) }
    }

    /// Ends every flow and returns the report. `source` names the file; `failure` is the fault that ended
    /// reading early; `drops` what the capture lost.
    public func finish(source: String, failure: String?, drops: UInt64?) -> BoundaryReport {
        table.finish()
        pool?.wait()
        state.collectPooled()
        let flows = state.finish(table: table, collector: collector)
        return BoundaryReport(
            file: source, framing: options.framing.isEmpty ? nil : options.framing, whatIfRecvSize: options.recvSize, layers: Self.layers(of: flows),
            flows: flows, notes: notes(flows: flows), failure: failure, captureDrops: drops)
    }

    private func notes(flows: [FlowReport]) -> [ReportNote] {
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
        if options.framing.isEmpty && flows.contains(where: { flow in
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
        for call in failedConnects {
            guard let failure = call.failure else { continue }
            // A proxy's failed connect has no address of its own: the session's `to` is where it went.
            let to = call.destination.map { "\($0)" } ?? (call.leg == .upstream ? state.settings?["to"] : nil)
            notes.append(.connectFailed(connection: call.connection, leg: call.leg, to: to, failure: failure))
        }
        notes += CaptureNote.notes(for: table).map(ReportNote.capture)
        if let settings = state.settings { notes.append(.session(settings)) }
        return notes
    }

    /// The layers observed in any flow, in flow order.
    static func layers(of flows: [FlowReport]) -> [Layer] {
        [Layer.send, .segment, .datagram, .recv].filter { layer in
            flows.contains { flow in
                [flow.clientToServer, flow.serverToClient].contains { $0.timeline.observedLayers.contains(layer) }
            }
        }
    }
}

/// Not thread-safe: a SessionAnalyzer belongs to one thread at a time.
@available(*, unavailable)
extension SessionAnalyzer: Sendable {}
