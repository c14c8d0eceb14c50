/// `seam report --format html`: one self-contained page (inline CSS and SVG, no script, no network) with the
/// report's header, the findings list at the top, and per flow and direction a timeline of the four lanes on
/// one byte axis. Each finding links (`#f0-c2s-3`) to its outline in its flow's timeline.
///
/// Output is bounded whatever the capture: at most `HTMLLimits.laneCap` rectangles per lane (adjacent ranges
/// merged into blocks beyond that, and the page says so), `HTMLLimits.findingCap` findings listed (with a count
/// of the rest) and `HTMLLimits.flowCap` flows drawn. Everything that came from the capture is escaped.
extension BoundaryReport {
    /// The bounds of the HTML page.
    public enum HTMLLimits {
        /// Rectangles drawn per lane at most; beyond, adjacent ranges are merged into this many blocks.
        public static let laneCap = 2_000
        /// Findings listed at the top at most.
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

    /// The page in pieces (the head and findings, then a flow at a time), for a caller that writes them out as
    /// they come.
    public func writeHTML(to emit: (String) -> Void) {
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<title>Seam report: \(HTMLEscaping.escape(file))</title>\n<style>\n\(HTMLReportStyle.css)</style>\n"
        out += "</head>\n<body>\n"
        out += HTMLReportStyle.svgDefinitions
        renderHeader(into: &out)
        out += HTMLReportStyle.legend
        renderFindings(into: &out)
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
            out += "packet\(captureDrops == 1 ? "" : "s"): segments may be missing, and findings at the segment "
            out += "layer may be wrong.</p>\n"
        }
        if let failure {
            out += "<p class=\"alert\" role=\"alert\">Reading stopped early: \(HTMLEscaping.escape(failure)). "
            out += "Everything read before the fault is in this report.</p>\n"
        }
        out += "<dl class=\"meta\">\n"
        let framingText =
            framing.map { "<code>\(HTMLEscaping.escape($0.description))</code>" }
            ?? "none given (messages are the send calls where they were observed)"
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
        out += "<dt>flows</dt><dd>\(flows.count) · \(findingCount) finding\(findingCount == 1 ? "" : "s")</dd>\n"
        out += "</dl>\n"
        if !notes.isEmpty {
            out += "<ul class=\"notes\">\n"
            for note in notes { out += "<li>\(HTMLEscaping.escape(note))</li>\n" }
            out += "</ul>\n"
        }
        out += "</header>\n"
    }

    // MARK: - Findings

    private func renderFindings(into out: inout String) {
        out += "<section id=\"findings\">\n<h2>Findings (\(findingCount))</h2>\n"
        guard findingCount > 0 else {
            out += "<p class=\"muted\">No message boundary was lost in the layers observed.</p>\n</section>\n"
            return
        }
        // A long list scrolls in its own box, so the timelines stay one screen away.
        out += findingCount > 12 ? "<ol class=\"findings long\">\n" : "<ol class=\"findings\">\n"
        var listed = 0
        outer: for (flowIndex, flow) in flows.enumerated() {
            for direction in Direction.allCases {
                let report = flow.direction(direction)
                for (index, finding) in report.findings.enumerated() {
                    if listed == HTMLLimits.findingCap { break outer }
                    renderFinding(
                        finding,
                        flow: flow,
                        direction: direction,
                        anchor: flowIndex < HTMLLimits.flowCap
                            ? BoundaryReport.findingAnchor(flow: flowIndex, direction: direction, index: index) : nil,
                        into: &out
                    )
                    listed += 1
                }
            }
        }
        out += "</ol>\n"
        if findingCount > listed {
            out += "<p class=\"alert\">\(findingCount - listed) more findings not listed (the list stops at "
            out += "\(HTMLLimits.findingCap)); they are outlined in the timelines below.</p>\n"
        }
        out += "</section>\n"
    }

    private func renderFinding(
        _ finding: Finding,
        flow: FlowReport,
        direction: Direction,
        anchor: String?,
        into out: inout String
    ) {
        out += "<li class=\"k-\(finding.kind.rawValue)\">"
        out += "<span class=\"badge kind k-\(finding.kind.rawValue)\">\(finding.kind.rawValue)</span> "
        out += "<span class=\"badge layer\">at \(finding.layer.rawValue)</span> "
        out += "<span class=\"badge cause\">\(finding.cause.rawValue)</span> "
        if finding.isWhatIf { out += "<span class=\"badge whatif\">what-if</span> " }
        var place = "\(HTMLEscaping.escape(flow.id)) \(direction.rawValue)"
        place += finding.messageRange.count == 1 ? " · message \(finding.messageRange.lowerBound)" : ""
        if finding.messageRange.count > 1, let first = finding.messageRange.first, let last = finding.messageRange.last {
            place += " · messages \(first)–\(last)"
        }
        place += " · bytes \(finding.range.lowerBound)–\(finding.range.upperBound)"
        if let time = finding.time { place += " · \(time.timeOfDay)" }
        out +=
            anchor.map { "<a class=\"where\" href=\"#\($0)\">\(place)</a>" } ?? "<span class=\"where\">\(place)</span>"
        let summaries = finding.messageSummaries
        if !summaries.isEmpty {
            let quoted = summaries.map { "<code>\(HTMLEscaping.escape($0, limit: 48))</code>" }
            out += " <span class=\"summaries\">\(quoted.joined(separator: ", "))"
            out += finding.messageRange.count > summaries.count ? ", …" : ""
            out += "</span>"
        }
        if !finding.isBrief { out += "\n<p class=\"evidence\">\(HTMLEscaping.escape(finding.evidence))</p>" }
        if !finding.facts.isEmpty {
            let facts = finding.facts.map { "<span class=\"badge fact\">\(HTMLEscaping.escape($0))</span>" }
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
        if let leg = flow.leg { out += " <span class=\"badge leg\">\(HTMLEscaping.escape(leg))</span>" }
        out += " <span class=\"ends\">\(flow.clientIsGuessed ? "~" : "")\(HTMLEscaping.escape(flow.client.description))"
        out += " → \(HTMLEscaping.escape(flow.server.description))</span>"
        if let start = flow.start { out += " <span class=\"muted\">\(start.iso8601)</span>" }
        out += "</h2>\n"
        if flow.clientIsGuessed {
            out += "<p class=\"muted\">~ client guessed (no SYN captured): the side with the higher port.</p>\n"
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
            guard drawn && report.hasRanges else {
                out += "</div>\n"
                continue
            }
            let svg = TimelineSVG(
                timeline: report.timeline,
                findings: report.findings,
                anchor: { BoundaryReport.findingAnchor(flow: index, direction: direction, index: $0) },
                cap: HTMLLimits.laneCap
            )
            svg.render(into: &out, label: "\(flow.id) \(name): send, segment, recv and message lanes on one byte axis")
            var notes = svg.notes
            if let error = report.timeline.framingError { notes.append("framing stopped: \(error)") }
            for note in notes { out += "<p class=\"note\">\(HTMLEscaping.escape(note))</p>\n" }
            if let strip = TimeStripSVG(timeline: report.timeline, cap: HTMLLimits.laneCap) {
                out += "<details class=\"time\" open><summary>time view</summary>\n"
                strip.render(into: &out, label: "\(flow.id) \(name): the same calls and segments on a time axis")
                out += "</details>\n"
            }
            out += "</div>\n"
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
        if !report.findings.isEmpty {
            parts.append("<strong>\(report.findings.count) finding\(report.findings.count == 1 ? "" : "s")</strong>")
        }
        return parts.joined(separator: " · ")
    }
}
