/// `seam report` (text): per flow a header, per direction the lanes on one byte axis, then the findings in
/// plain sentences with a fix. Colour only when asked (the CLI asks on a terminal).
extension BoundaryReport {
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
        out += "framing \(framing?.description ?? "none (messages = send calls where observed)")"
        out += "; layers observed: \(layers.isEmpty ? "none" : layers.map(\.rawValue).joined(separator: ", "))"
        if let whatIfRecvSize { out += "; what-if recv(\(whatIfRecvSize))" }
        out += "\n"
        if let captureDrops, captureDrops > 0 {
            out += style.red("the capture dropped \(captureDrops) packets: segments may be missing") + "\n"
        }
        let total = findingCount
        out += total == 0
            ? style.green("no boundary was lost") + " in the layers observed, in \(flows.count) "
                + "\(flows.count == 1 ? "flow" : "flows")\n"
            : style.red("\(total) \(total == 1 ? "finding" : "findings")") + " in \(flows.count) flows\n"
        emit(out)
        for flow in flows {
            emit("\n" + flow.text(style: style))
        }
        out = notes.isEmpty ? "" : "\n"
        for note in notes { out += style.dim("note: \(note)") + "\n" }
        if let failure { out += style.red("error: \(failure) (everything before it is in this report)") + "\n" }
        emit(out)
    }
}

extension FlowReport {
    func text(style: TextStyle) -> String {
        var header = "\(style.bold(id)) \(proto.rawValue) \(clientIsGuessed ? "~" : "")\(client) → \(server)"
        if let leg { header += "  [\(connection.map { "connection \($0), " } ?? "")\(leg)]" }
        var out = header + "\n"
        for direction in Direction.allCases {
            let report = self.direction(direction)
            if report.isEmpty { continue }
            out += report.text(direction: direction, style: style)
        }
        return out
    }
}

extension DirectionReport {
    func text(direction: Direction, style: TextStyle) -> String {
        let t = timeline
        func count(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        var counts = [count(Int(t.bytes), "byte")]
        if let n = sendCount { counts.append(count(n, "send")) }
        if let n = segmentCount { counts.append(count(n, t.proto == .tcp ? "segment" : "datagram")) }
        if let n = recvCount { counts.append(count(n, "recv") + (t.recvIsWhatIf ? " (what-if)" : "")) }
        counts.append(count(messageCount, "message") + " (\(t.messageSource))")
        var out = "  \(style.bold(direction.rawValue))  " + counts.joined(separator: ", ") + "\n"
        var unobserved: [String] = []
        let (sender, receiver) = direction == .clientToServer ? ("client", "server") : ("server", "client")
        if t.sends == nil { unobserved.append("send (the \(sender)'s writes)") }
        if t.segments == nil { unobserved.append("segment (no capture)") }
        if t.recvs == nil { unobserved.append("recv (the \(receiver)'s reads)") }
        if !unobserved.isEmpty {
            out += "    " + style.dim("not observed: " + unobserved.joined(separator: ", ")) + "\n"
        }
        if let lanes = keptLaneCounts {
            if t.bytes > 0 { out += LaneDrawing.summaryLine(lanes, style: style) }
        } else {
            out += LaneDrawing(timeline: t, findings: findings).text(style: style)
        }
        if t.messageSource == .unknown && !t.framingHints.isEmpty {
            out += "    " + style.dim("hint: the bytes look like --framing \(t.framingHints.prefix(3).map(\.description).joined(separator: " or "))") + "\n"
        }
        if let error = t.framingError { out += "    " + style.red("framing stopped: \(error)") + "\n" }
        for finding in findings {
            out += "    " + finding.sentence(style: style) + "\n"
        }
        return out
    }
}

extension Finding {
    /// One plain sentence: what, where, why (the evidence), the TCP facts, and the fix.
    func sentence(style: TextStyle) -> String {
        let names = messageSummaries.map { "`\($0)`" }
        var subject = Evidence.messageList(messageRange)
        if !names.isEmpty { subject += " (\(names.joined(separator: ", "))\(messageRange.count > 4 ? ", …" : ""))" }
        let what = "\(kind.rawValue) at \(layer.rawValue)\(isWhatIf ? " (what-if)" : "")"
        if isBrief {
            return style.red("✗ \(what)") + " [\(cause.rawValue)]: \(subject), bytes \(range.lowerBound)–\(range.upperBound)."
        }
        var text = style.red("✗ \(what)") + " [\(cause.rawValue)]: \(subject): \(evidence)."
        if !facts.isEmpty { text += " " + style.dim("TCP: " + facts.joined(separator: "; ") + ".") }
        if let fix { text += " " + style.green("Fix: \(fix)") }
        return text
    }

    var fix: String? {
        switch cause {
        case .senderCoalescing, .receiverBacklog:
            return "TCP is a byte stream; frame your messages (e.g. a struct.pack('i', len) header) and read until each is whole."
        case .recvBuffer, .earlyReader, .mss, .window:
            return "loop on recv until the whole message is in (a length header says how much)."
        case .partialSend:
            return "use sendall, or loop until send has taken every byte."
        case .splitWrite:
            return "nothing is lost, but the reader must join the pieces: frame messages and read until each is whole."
        case .recvfromSize:
            return "recvfrom with a buffer as large as the largest datagram (up to 65507 bytes)."
        case .transit:
            return "UDP does not promise delivery or order: number your datagrams and acknowledge them."
        case .endOfStream, .captureGap:
            return nil
        }
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
