/// `seam report --format html`: one self-contained page (inline CSS and SVG, no script, no network) that
/// leads with the answer — the verdicts, or "no framing bug seen" — then the observations list, then per flow
/// and direction a timeline of the four lanes on one byte axis, and per flow a time view of both directions.
/// Each observation links (`#f0-c2s-3`) to its outline in its flow's timeline.
///
/// Output is bounded whatever the capture: at most `HTMLLimits.laneCap` rectangles per lane (adjacent ranges
/// merged into blocks beyond that, and the page says so), `HTMLLimits.findingCap` observations listed (with a
/// count of the rest) and `HTMLLimits.flowCap` flows drawn. Verdicts are all listed. Everything that came
/// from the capture is escaped.
extension BoundaryReport {
    /// The bounds of the HTML page.
    public enum HTMLLimits {
        /// Rectangles drawn per lane at most; beyond, adjacent ranges are merged into this many blocks.
        public static let laneCap = 2_000
        /// Observations listed at the top at most.
        public static let findingCap = 500
        /// Flows drawn with timelines at most; the rest are listed by their header only.
        public static let flowCap = 300
    }

    /// The report as one self-contained HTML page.
    public func html() -> String {
        var out = ""
        writeHTML { out += $0 }
        return out
    }

    /// The page in pieces (the head, verdicts and observations, then a flow at a time), for a caller that writes
    /// them out as they come.
    public func writeHTML(to emit: (String) -> Void) {
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<title>Seam report: \(HTMLEscaping.escape(file))</title>\n<style>\n\(HTMLReportStyle.css)</style>\n"
        out += "</head>\n<body>\n"
        out += HTMLReportStyle.svgDefinitions
        renderHeader(into: &out)
        renderVerdicts(into: &out)
        out += HTMLReportStyle.legend
        renderObservations(into: &out)
        for (index, flow) in flows.enumerated() {
            if index == HTMLLimits.flowCap {
                out += "<p class=\"alert\">\(flows.count - index) more flows not drawn (the page draws at most "
                out += "\(HTMLLimits.flowCap)); use <code>seam report --format text</code> for all of them.</p>\n"
            }
            renderFlow(flow, index: index, drawn: index < HTMLLimits.flowCap, into: &out)
            if out.utf8.count >= 1 << 16 {
                emit(out)
                out = ""
            }
        }
        out += "<footer>Seam · one byte axis per direction; hover any range for its details.</footer>\n"
        out += "</body>\n</html>\n"
        emit(out)
    }

    // MARK: - Header

    private func renderHeader(into out: inout String) {
        out += "<header>\n<h1>Seam report <span class=\"file\">\(HTMLEscaping.escape(file))</span></h1>\n"
        if let captureDrops, captureDrops > 0 {
            out += "<p class=\"alert\" role=\"alert\">The capture dropped \(captureDrops) "
            out += "packet\(captureDrops == 1 ? "" : "s"): segments may be missing, and observations at the segment "
            out += "layer may be wrong.</p>\n"
        }
        if let failure {
            out += "<p class=\"alert\" role=\"alert\">Reading stopped early: \(HTMLEscaping.escape(failure)). "
            out += "Everything read before the fault is in this report.</p>\n"
        }
        out += "<dl class=\"meta\">\n"
        let framingText =
            framing.map { "<code>\(HTMLEscaping.escape($0.description))</code>" }
            ?? "none given (messages are the senders' own send calls where they were observed, else a framing "
            + "detected where it fits clearly)"
        out += "<dt>framing</dt><dd>\(framingText)</dd>\n"
        let seen = layers.map { "<span class=\"badge layer\">\($0.rawValue)</span>" }.joined(separator: " ")
        let missing = [Layer.send, .segment, .recv].filter {
            !layers.contains($0) && !($0 == .segment && layers.contains(.datagram))
        }
        var layerText = seen.isEmpty ? "none" : seen
        if !missing.isEmpty {
            layerText += " <span class=\"muted\">· not observed: \(missing.map(\.rawValue).joined(separator: ", "))"
            layerText += "</span>"
        }
        out += "<dt>layers</dt><dd>\(layerText)</dd>\n"
        if let whatIfRecvSize {
            out += "<dt>what-if</dt><dd>a reader doing <code>recv(\(whatIfRecvSize))</code> as soon as data arrives"
            out += " (where no reads were observed)</dd>\n"
        }
        let dropText = captureDrops.map { $0 == 0 ? "none" : "<strong class=\"bad\">\($0) packets</strong>" }
        out += "<dt>capture drops</dt><dd>\(dropText ?? "unknown")</dd>\n"
        let observations = observationCount
        out += "<dt>flows</dt><dd>\(flows.count) · \(verdicts.count) verdict\(verdicts.count == 1 ? "" : "s") · "
        out += "\(observations) observation\(observations == 1 ? "" : "s")</dd>\n"
        out += "</dl>\n"
        if !notes.isEmpty {
            out += "<ul class=\"notes\">\n"
            for note in notes { out += "<li>\(HTMLEscaping.escape(ReportWords.note(note)))</li>\n" }
            out += "</ul>\n"
        }
        out += "</header>\n"
    }

    // MARK: - Verdicts

    private func renderVerdicts(into out: inout String) {
        let verdicts = self.verdicts
        out += "<section id=\"verdicts\">\n"
        guard !verdicts.isEmpty else {
            out += "<h2 class=\"ok\">No framing bug seen</h2>\n<p class=\"muted\">No program mishandled the stream in "
            out += "what was observed (\(flows.count) flow\(flows.count == 1 ? "" : "s")). How TCP cut and joined the "
            out += "bytes is below, as observations.</p>\n</section>\n"
            return
        }
        let flowsHit = flowsWithVerdicts
        out += "<h2 class=\"bad\">\(verdicts.count) framing bug\(verdicts.count == 1 ? "" : "s") in \(flowsHit) "
        out += "flow\(flowsHit == 1 ? "" : "s")</h2>\n<ol class=\"verdicts\">\n"
        let flowIndex = Dictionary(flows.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        for verdict in verdicts {
            out += "<li><span class=\"badge verdict\">\(verdict.kind.rawValue)</span> "
            let place = "\(HTMLEscaping.escape(verdict.flow)) \(verdict.direction.rawValue)"
            if let index = flowIndex[verdict.flow] {
                out += "<a class=\"where\" href=\"#flow\(index)-\(verdict.direction.rawValue)\">\(place)</a> "
            } else {
                out += "<span class=\"where\">\(place)</span> "
            }
            out += "<span class=\"muted\">\(verdict.time.timeOfDay)</span>"
            out += "<p class=\"evidence\"><strong>\(HTMLEscaping.escape(ReportWords.summary(verdict)))</strong>. "
            out += "\(HTMLEscaping.escape(ReportWords.evidence(verdict))).</p>"
            out += "<p class=\"fix\">Fix: \(HTMLEscaping.escape(ReportWords.fix(verdict)))</p></li>\n"
        }
        out += "</ol>\n</section>\n"
    }

    // MARK: - Observations

    private func renderObservations(into out: inout String) {
        let total = observationCount
        out += "<section id=\"findings\">\n<h2>Observations (\(total))</h2>\n"
        out += "<p class=\"muted\">How the bytes were delivered where that differs from the messages: TCP joins and "
        out += "cuts a stream as it likes, so none of this is a bug by itself.</p>\n"
        guard total > 0 else {
            out += "<p class=\"muted\">Every message boundary survived in the layers observed.</p>\n</section>\n"
            return
        }
        // A long list scrolls in its own box, so the timelines stay one screen away.
        out += total > 12 ? "<ol class=\"findings long\">\n" : "<ol class=\"findings\">\n"
        var listed = 0
        outer: for (flowIndex, flow) in flows.enumerated() {
            for direction in Direction.allCases {
                let report = flow.direction(direction)
                let parties = ReportWords.Parties(flow: flow, direction: direction)
                for (index, observation) in report.observations.enumerated() {
                    if listed == HTMLLimits.findingCap { break outer }
                    renderObservation(
                        observation, flow: flow, direction: direction, parties: parties,
                        anchor: flowIndex < HTMLLimits.flowCap
                            ? BoundaryReport.findingAnchor(flow: flowIndex, direction: direction, index: index) : nil,
                        into: &out)
                    listed += 1
                }
            }
        }
        out += "</ol>\n"
        if total > listed {
            out += "<p class=\"note\">\(total - listed) more observations not listed (the list stops at "
            out += "\(HTMLLimits.findingCap)); they are outlined in the timelines below.</p>\n"
        }
        out += "</section>\n"
    }

    private func renderObservation(
        _ observation: Observation, flow: FlowReport, direction: Direction, parties: ReportWords.Parties,
        anchor: String?, into out: inout String
    ) {
        out += "<li class=\"k-\(observation.kind.rawValue)\">"
        out += "<span class=\"badge kind k-\(observation.kind.rawValue)\">\(observation.kind.rawValue)</span> "
        out += "<span class=\"badge layer\">at \(observation.layer.rawValue)</span> "
        out += "<span class=\"badge cause\">\(observation.cause.rawValue)</span> "
        if observation.isWhatIf { out += "<span class=\"badge whatif\">what-if</span> " }
        var place = "\(HTMLEscaping.escape(flow.id)) \(direction.rawValue)"
        place += " · \(ReportWords.messageList(observation.messageRange))"
        place += " · bytes \(observation.range.lowerBound)–\(observation.range.upperBound)"
        if let time = observation.time { place += " · \(time.timeOfDay)" }
        out +=
            anchor.map { "<a class=\"where\" href=\"#\($0)\">\(place)</a>" } ?? "<span class=\"where\">\(place)</span>"
        let summaries = observation.messageSummaries
        if !summaries.isEmpty {
            let quoted = summaries.map { "<code>\(HTMLEscaping.escape($0, limit: 48))</code>" }
            out += " <span class=\"summaries\">\(quoted.joined(separator: ", "))"
            out += observation.messageRange.count > summaries.count ? ", …" : ""
            out += "</span>"
        }
        if let evidence = observation.evidence {
            let text = ReportWords.explanation(evidence, observation: observation, parties: parties)
            out += "\n<p class=\"evidence\">\(HTMLEscaping.escape(text))</p>"
        }
        if !observation.facts.isEmpty {
            let facts = observation.facts.map {
                "<span class=\"badge fact\">\(HTMLEscaping.escape(ReportWords.fact($0)))</span>"
            }
            out += "<p class=\"facts\">\(facts.joined(separator: " "))</p>"
        }
        out += "</li>\n"
    }

    static func findingAnchor(flow: Int, direction: Direction, index: Int) -> String {
        "f\(flow)-\(direction.rawValue)-\(index)"
    }

    // MARK: - Flows

    private func renderFlow(_ flow: FlowReport, index: Int, drawn: Bool, into out: inout String) {
        out += "<section class=\"flow\" id=\"flow\(index)\">\n<h2>\(HTMLEscaping.escape(flow.id))"
        out += " <span class=\"badge proto\">\(flow.proto.rawValue.uppercased())</span>"
        if let connection = flow.connection { out += " <span class=\"muted\">connection \(connection)</span>" }
        if let leg = flow.leg { out += " <span class=\"badge leg\">\(leg.rawValue)</span>" }
        out += " <span class=\"ends\">\(flow.clientIsGuessed ? "~" : "")\(HTMLEscaping.escape(flow.client.description))"
        out += " → \(HTMLEscaping.escape(flow.server.description))</span>"
        if let start = flow.start { out += " <span class=\"muted\">\(start.iso8601)</span>" }
        out += "</h2>\n"
        let who = Side.allCases.compactMap { side -> String? in
            let peer = flow.peer(side)
            if peer.role == .proxy { return "\(side.rawValue): seam proxy" }
            return peer.process.map { "\(side.rawValue): \(HTMLEscaping.escape($0.description))" }
        }
        if !who.isEmpty { out += "<p class=\"muted\">\(who.joined(separator: " · "))</p>\n" }
        if flow.clientIsGuessed {
            out += "<p class=\"muted\">~ client guessed (no SYN captured): the side with the higher port.</p>\n"
        }
        if !flow.verdicts.isEmpty {
            out += "<p class=\"bad\"><strong>\(flow.verdicts.count) verdict\(flow.verdicts.count == 1 ? "" : "s"):"
            out += "</strong> \(flow.verdicts.map { HTMLEscaping.escape(ReportWords.summary($0)) }.joined(separator: "; "))</p>\n"
        }
        for direction in Direction.allCases {
            let report = flow.direction(direction)
            let name = direction == .clientToServer ? "client → server" : "server → client"
            guard !report.isEmpty else {
                out += "<p class=\"muted\">\(name) (\(direction.rawValue)): no data.</p>\n"
                continue
            }
            out += "<div class=\"direction\" id=\"flow\(index)-\(direction.rawValue)\">\n"
            out += "<h3>\(name) <span class=\"muted\">(\(direction.rawValue))</span> · "
            out += BoundaryReport.directionFacts(report)
            out += "</h3>\n"
            if !report.observationCounts.isEmpty {
                out += "<table class=\"summary\">"
                for count in report.observationCounts {
                    out += "<tr><td>\(HTMLEscaping.escape(ReportWords.summary(count)))</td></tr>"
                }
                out += "</table>\n"
            }
            for line in BoundaryReport.budgetLines(report) { out += "<p class=\"note\">\(HTMLEscaping.escape(line))</p>\n" }
            guard drawn && report.hasRanges else {
                out += "</div>\n"
                continue
            }
            let parties = ReportWords.Parties(flow: flow, direction: direction)
            let svg = TimelineSVG(
                timeline: report.timeline, observations: report.observations,
                sentences: report.observations.map { ReportWords.sentence($0, parties: parties) },
                anchor: { BoundaryReport.findingAnchor(flow: index, direction: direction, index: $0) },
                cap: HTMLLimits.laneCap)
            svg.render(into: &out, label: "\(flow.id) \(name): send, segment, recv and message lanes on one byte axis")
            var notes = svg.notes
            if let fit = report.timeline.detectedFit, let origin = report.timeline.framingChoice {
                notes.append((origin == .auto ? "framing auto picked " : "no framing given; detected ") + fit.description)
            }
            if let note = report.timeline.framingError { notes.append(note + "; no observation made from it") }
            for note in notes { out += "<p class=\"note\">\(HTMLEscaping.escape(note))</p>\n" }
            out += "</div>\n"
        }
        if drawn, let strip = TimeStripSVG(flow: flow, cap: HTMLLimits.laneCap) {
            out += "<details class=\"time\" open><summary>time view: both directions</summary>\n"
            strip.render(into: &out, label: "\(flow.id): the calls and segments of both directions on one time axis")
            out += "</details>\n"
        }
        out += "</section>\n"
    }

    private static func directionFacts(_ report: DirectionReport) -> String {
        let t = report.timeline
        func count(_ value: Int?, _ word: String) -> String {
            guard let value else { return "<span class=\"muted\">\(word)s not observed</span>" }
            return "\(value) \(word)\(value == 1 ? "" : "s")"
        }
        var parts = ["\(t.bytes) bytes", count(report.sendCount, "send")]
        parts.append(count(report.segmentCount, t.proto == .tcp ? "segment" : "datagram"))
        parts.append(count(report.recvCount, t.recvIsWhatIf ? "what-if recv" : "recv"))
        let source = HTMLEscaping.escape(t.messageSource.description)
        parts.append("\(report.messageCount) message\(report.messageCount == 1 ? "" : "s") (\(source))")
        if let mss = t.senderMSS { parts.append("MSS \(mss)") }
        if !t.gaps.isEmpty {
            parts.append("<strong class=\"bad\">\(t.gaps.count) capture gap\(t.gaps.count == 1 ? "" : "s")</strong>")
        }
        if report.zeroWindowCount > 0 { parts.append("\(report.zeroWindowCount) zero windows") }
        if let reset = t.resetTime { parts.append("reset at \(reset.timeOfDay)") }
        return parts.joined(separator: " · ")
    }

    /// The time budget of a direction's messages: one line per message when there are few (`message 0: 0.1 ms
    /// in the sender's kernel, 296 ms in the reader's buffer`), else the median and worst of each part.
    static func budgetLines(_ report: DirectionReport) -> [String] {
        if !report.deliveries.isEmpty && report.deliveries.count <= 4 {
            return report.deliveries.compactMap { delivery in
                var parts: [String] = []
                if let ns = delivery.senderKernelNanoseconds { parts.append("\(ReportWords.duration(ns)) in the sender's kernel") }
                if let ns = delivery.receiverBufferNanoseconds { parts.append("\(ReportWords.duration(ns)) in the reader's buffer") }
                if delivery.receiverBufferNanoseconds == nil, let ns = delivery.totalNanoseconds {
                    parts.append("\(ReportWords.duration(ns)) from send to read")
                }
                return parts.isEmpty ? nil : "time: message \(delivery.message): " + parts.joined(separator: ", ")
            }
        }
        var parts: [String] = []
        func spread(_ name: String, _ spread: DeliveryBudget.Spread?) {
            guard let spread else { return }
            parts.append(
                "\(name) median \(ReportWords.duration(spread.median)), max \(ReportWords.duration(spread.maximum)) "
                    + "(message \(spread.worstMessage))")
        }
        spread("in the sender's kernel", report.budget.senderKernel)
        spread("in the reader's buffer", report.budget.receiverBuffer)
        if report.budget.receiverBuffer == nil { spread("from send to read", report.budget.total) }
        return parts.isEmpty ? [] : ["time per message: " + parts.joined(separator: "; ")]
    }
}
