/// `seam report` (text): the answer first — the verdicts with their evidence and fix, or "no framing bug
/// seen" — then the observations summed up, then per flow and direction the lanes on one byte axis, the
/// observations in plain sentences (the first `observationsShown`; the rest are counted) and the time budget.
/// Colour only when asked (the CLI asks on a terminal): red for verdicts only.
extension BoundaryReport {
    /// Observations spelled out per direction in text; the rest are in the direction's summary.
    public static let observationsShown = 8

    public func text(color: Bool = false) -> String {
        var out = ""
        writeText(color: color) { out += $0 }
        return out
    }

    /// The text report in pieces (the header, then a flow at a time, then the notes), for a caller that
    /// writes them out as they come.
    public func writeText(color: Bool = false, to emit: (String) -> Void) {
        let style = TextStyle(color: color)
        var out = "\(style.bold(file)): "
        out += "framing \(framing?.description ?? "none given (messages: the senders' send calls where observed, else a framing detected where it fits clearly)")"
        out += "; layers observed: \(layers.isEmpty ? "none" : layers.map(\.rawValue).joined(separator: ", "))"
        if let whatIfRecvSize { out += "; what-if recv(\(whatIfRecvSize))" }
        out += "\n"
        if let captureDrops, captureDrops > 0 {
            out += style.red("the capture dropped \(captureDrops) packets: segments may be missing") + "\n"
        }
        let verdicts = self.verdicts
        if verdicts.isEmpty {
            out += style.green("✓ no framing bug seen") + ", \(ReportWords.plural(flows.count, "flow"))\n"
        } else {
            out += style.red("✗ \(ReportWords.plural(verdicts.count, "framing bug")) in \(ReportWords.plural(flowsWithVerdicts, "flow"))")
                + "\n"
            for verdict in verdicts { out += Self.verdictText(verdict, style: style, indent: "  ") }
        }
        out += observationSummary(style: style)
        emit(out)
        OrderedRendering.forEach(flows, render: { "\n" + $0.text(style: style) }, emit: emit)
        out = notes.isEmpty ? "" : "\n"
        for note in notes { out += style.dim("note: \(ReportWords.note(note))") + "\n" }
        if let failure { out += style.red("error: \(failure) (everything before it is in this report)") + "\n" }
        emit(out)
    }

    /// `✗ acted-on-partial  tcp.0 s2c  the client … ` then the evidence and the fix, indented.
    static func verdictText(_ verdict: Verdict, style: TextStyle, indent: String) -> String {
        var out = indent + style.red("✗ \(verdict.kind.rawValue)") + "  \(verdict.flow) \(verdict.direction.rawValue)  "
        out += ReportWords.summary(verdict) + "\n"
        out += indent + "    " + ReportWords.evidence(verdict) + ".\n"
        out += indent + "    " + style.green("Fix: \(ReportWords.fix(verdict))") + "\n"
        return out
    }

    /// `observations: 12 message boundaries inside a segment (sender coalescing), …` over all flows.
    private func observationSummary(style: TextStyle) -> String {
        var totals: [ObservationCount] = []
        // Keyed by the values, not by a string interpolating them (which goes through reflection per count).
        var index: [ObservationCount.Key: Int] = [:]
        for flow in flows {
            for count in flow.clientToServer.observationCounts + flow.serverToClient.observationCounts {
                let key = count.key
                if let at = index[key] {
                    totals[at].count += count.count
                    totals[at].messages += count.messages
                } else {
                    index[key] = totals.count
                    totals.append(count)
                }
            }
        }
        guard !totals.isEmpty else { return style.dim("observations: every message boundary survived") + "\n" }
        return style.dim("observations (how the bytes were delivered; normal): ")
            + totals.map(ReportWords.summary).joined(separator: "; ") + "\n"
    }
}

extension FlowReport {
    func text(style: TextStyle) -> String {
        var header = "\(style.bold(id)) \(proto.rawValue) \(clientIsGuessed ? "~" : "")\(client) → \(server)"
        if let leg { header += "  [\(connection.map { "connection \($0), " } ?? "")\(leg.rawValue)]" }
        let who = Side.allCases.compactMap { side -> String? in
            let peer = self.peer(side)
            if peer.role == .proxy { return "\(side.rawValue): seam proxy" }
            return peer.process.map { "\(side.rawValue): \($0)" }
        }
        if !who.isEmpty { header += "  " + style.dim(who.joined(separator: " · ")) }
        var out = header + "\n"
        for verdict in verdicts {
            out += "  " + style.red("✗ \(verdict.kind.rawValue)") + " \(verdict.direction.rawValue): "
                + ReportWords.summary(verdict) + " (see above)\n"
        }
        for direction in Direction.allCases {
            let report = self.direction(direction)
            if report.isEmpty { continue }
            out += report.text(flow: self, direction: direction, style: style)
        }
        return out
    }
}

extension DirectionReport {
    func text(flow: FlowReport, direction: Direction, style: TextStyle) -> String {
        let t = timeline
        var counts = [ReportWords.plural(Int(t.bytes), "byte")]
        if let n = sendCount { counts.append(ReportWords.plural(n, "send")) }
        if let n = segmentCount { counts.append(ReportWords.plural(n, t.proto == .tcp ? "segment" : "datagram")) }
        if let n = recvCount { counts.append(ReportWords.plural(n, "recv") + (t.recvIsWhatIf ? " (what-if)" : "")) }
        counts.append(ReportWords.plural(messageCount, "message") + " (\(t.messageSource))")
        var out = "  \(style.bold(direction.rawValue))  " + counts.joined(separator: ", ") + "\n"
        let parties = ReportWords.Parties(flow: flow, direction: direction)
        var unobserved: [String] = []
        if t.sends == nil { unobserved.append("send (\(parties.senderName)'s writes)") }
        if t.segments == nil { unobserved.append("segment (no capture)") }
        if t.recvs == nil { unobserved.append("recv (\(parties.receiverName)'s reads)") }
        if !unobserved.isEmpty {
            out += "    " + style.dim("not observed: " + unobserved.joined(separator: ", ")) + "\n"
        }
        let proxied = [parties.sender, parties.receiver].filter { $0.role == .proxy }
        if !proxied.isEmpty && (t.sends != nil || t.recvs != nil) {
            let which = parties.sender.role == .proxy ? "send lane is the proxy's writes" : "recv lane is the proxy's reads"
            out += "    " + style.dim("the \(which), not a program's") + "\n"
        }
        if let lanes = keptLaneCounts {
            if t.bytes > 0 { out += LaneDrawing.summaryLine(lanes, style: style) }
        } else {
            out += LaneDrawing(timeline: t, observations: observations).text(style: style)
        }
        // The hints are guessed when read: once.
        if t.messageSource == .unknown, t.framingError == nil, case let hints = t.framingHints, !hints.isEmpty {
            out += "    " + style.dim("hint: the bytes look like --framing \(hints.prefix(3).map(\.description).joined(separator: " or "))") + "\n"
        }
        if let fit = t.detectedFit, let origin = t.framingChoice {
            let how = origin == .auto ? "framing auto picked" : "no framing given; detected"
            out += "    " + style.dim("\(how) \(fit)") + "\n"
        }
        if let note = t.framingError { out += "    " + style.red(note) + "; no observation made from it\n" }
        if observations.count > BoundaryReport.observationsShown || !hasRanges {
            for count in observationCounts { out += "    " + style.dim("· " + ReportWords.summary(count)) + "\n" }
        }
        for observation in observations.prefix(BoundaryReport.observationsShown) {
            out += "    " + observation.sentence(parties: parties, style: style) + "\n"
        }
        if observations.count > BoundaryReport.observationsShown {
            out += "    " + style.dim("… \(observations.count - BoundaryReport.observationsShown) more observations "
                + "(--format json lists them all)") + "\n"
        }
        for line in BoundaryReport.budgetLines(self) { out += "    " + style.dim(line) + "\n" }
        return out
    }
}

extension Observation {
    /// `· coalesced at segment [sender-coalescing]: messages 0 and 1 (…): …. TCP: ….`
    func sentence(parties: ReportWords.Parties, style: TextStyle) -> String {
        var text = "· " + style.bold(ReportWords.heading(self)) + ": " + ReportWords.sentence(self, parties: parties)
        text += "."
        if !facts.isEmpty { text += " " + style.dim("TCP: " + facts.map(ReportWords.fact).joined(separator: "; ") + ".") }
        return text
    }
}

/// ANSI styling that is a no-op without colour.
struct TextStyle {
    let color: Bool
    func wrap(_ text: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
    func bold(_ text: String) -> String { wrap(text, "1") }
    func dim(_ text: String) -> String { wrap(text, "2") }
    func red(_ text: String) -> String { wrap(text, "31") }
    func green(_ text: String) -> String { wrap(text, "32") }
}
