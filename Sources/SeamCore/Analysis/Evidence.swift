/// Explains a finding: picks its cause from what the layers hold and states the numbers behind it.
struct Evidence {
    let timeline: DirectionTimeline
    let sends: [LayerRange]
    let segments: [LayerRange]
    let recvs: [LayerRange]

    // MARK: - Coalesced

    func coalesced(at layer: Layer, range: LayerRange, messages: Range<Int>) -> (Finding.Cause, String) {
        let which = Evidence.messageList(messages)
        switch layer {
        case .send:
            return (
                .senderCoalescing,
                "one send call of \(range.length) bytes at \(range.time.timeOfDay) wrote \(which) at once"
            )
        case .segment:
            var text = "one \(range.length)-byte segment\(frameText(range)) at \(range.time.timeOfDay) carried \(which)"
            let writers = RangeSearch.indexes(overlapping: range.range, in: sends).map { sends[$0] }
            if writers.count >= 2, let first = writers.first, let last = writers.last {
                text += "; they were written by \(writers.count) send calls over "
                    + Evidence.duration(last.time.seconds(since: first.time))
                    + ", so the sender's kernel joined them (Nagle, or cork/MSG_MORE)"
            } else if writers.count == 1 {
                text += "; one send call wrote them together"
            }
            return (.senderCoalescing, text)
        default:
            let read = readText(range)
            let arrivals = RangeSearch.indexes(overlapping: range.range, in: segments).map { segments[$0] }
            if let first = arrivals.first, let last = arrivals.last {
                let wait = range.time.seconds(since: first.time)
                return (
                    .receiverBacklog,
                    "\(which) arrived in \(arrivals.count) segments between \(first.time.timeOfDay) and "
                        + "\(last.time.timeOfDay); \(read) at \(range.time.timeOfDay), \(Evidence.duration(wait)) "
                        + "after the first, returned all \(range.length) bytes: they had piled up before the read "
                        + "(receiver backlog)"
                )
            }
            return (.receiverBacklog, "\(read) at \(range.time.timeOfDay) returned \(range.length) bytes holding \(which)")
        }
    }

    // MARK: - Split

    func split(at layer: Layer, message: MessageRange, index: Int, pieces: [LayerRange]) -> (Finding.Cause, String) {
        var sizeList = pieces.map { String(clipped($0.range, to: message.range).count) }
        if sizeList.count > 6 { sizeList = Array(sizeList.prefix(4)) + ["…", sizeList.last!] }
        let sizes = sizeList.joined(separator: " + ")
        let subject = "message \(index) (\(message.range.count) bytes)"
        switch layer {
        case .send:
            if let short = pieces.first(where: { ($0.asked ?? 0) > $0.length }) {
                return (
                    .partialSend,
                    "\(subject) took \(pieces.count) send calls (\(sizes)): a send at \(short.time.timeOfDay) "
                        + "accepted \(short.length) of \(short.asked!) bytes"
                )
            }
            return (.splitWrite, "\(subject) was written by \(pieces.count) send calls (\(sizes)), each taken whole")
        case .segment:
            let largest = pieces.map(\.length).max() ?? 0
            if let mss = timeline.senderMSS, largest >= mss || message.range.count > mss {
                return (.mss, "\(subject) went out in \(pieces.count) segments (\(sizes)); the MSS is \(mss) bytes")
            }
            if let edge = pieces.dropLast().first(where: { windowLimited($0) }) {
                return (
                    .window,
                    "\(subject) went out in \(pieces.count) segments (\(sizes)); the segment at "
                        + "\(edge.time.timeOfDay) stopped at the receiver's window edge"
                )
            }
            if timeline.sends == nil {
                return (
                    .splitWrite,
                    "\(subject) went out in \(pieces.count) segments (\(sizes)), each below the MSS"
                        + (timeline.senderMSS.map { " of \($0)" } ?? "")
                        + ": the sender wrote it in pieces (its send calls were not observed)"
                )
            }
            return (.window, "\(subject) went out in \(pieces.count) segments (\(sizes)) though one send wrote it")
        default:
            let reads = pieces.map { readText($0) }
            let limited = pieces.first { piece in
                guard let asked = piece.asked else { return false }
                return asked <= piece.length || asked < message.range.count
            }
            if let full = limited {
                return (
                    .recvBuffer,
                    "\(subject) took \(pieces.count) reads (\(sizes)); \(readText(full)) asks for at most "
                        + "\(full.asked!) bytes, less than the message"
                )
            }
            return (
                .earlyReader,
                "\(subject) took \(pieces.count) reads (\(sizes)); \(reads[0]) at \(pieces[0].time.timeOfDay) "
                    + "returned only what had arrived"
            )
        }
    }

    // MARK: - Facts

    /// TCP facts inside `range`: retransmissions, out-of-order, capture gaps, zero windows, a reset.
    func facts(in range: Range<UInt64>) -> [String] {
        var facts: [String] = []
        let all = timeline.segments ?? []
        let touching = all.filter { $0.range.overlaps(range) }
        let retransmitted = touching.filter { $0.marks.contains(.retransmission) }.count
        if retransmitted > 0 { facts.append("\(retransmitted) retransmitted segment\(retransmitted == 1 ? "" : "s")") }
        let outOfOrder = touching.filter { $0.marks.contains(.outOfOrder) }.count
        if outOfOrder > 0 { facts.append("\(outOfOrder) out-of-order segment\(outOfOrder == 1 ? "" : "s")") }
        for gap in timeline.gaps where gap.overlaps(range) {
            facts.append("capture gap of \(gap.count) bytes at \(gap.lowerBound)")
        }
        if let first = touching.first?.time, let last = touching.last?.time,
            timeline.zeroWindowTimes.contains(where: { $0 >= first && $0 <= last })
        {
            facts.append("zero window")
        }
        if let reset = timeline.resetTime { facts.append(Evidence.resetFact(reset)) }
        return facts
    }

    /// The last fact of every TCP finding of a flow that was reset.
    static func resetFact(_ time: Timestamp) -> String { "connection reset at \(time.timeOfDay)" }

    // MARK: - Helpers

    private func windowLimited(_ segment: LayerRange) -> Bool {
        guard let edge = timeline.windowEdges.last(where: { $0.time <= segment.time }) else { return false }
        return edge.edge == segment.range.upperBound
    }

    private func frameText(_ range: LayerRange) -> String { range.frame.map { " (frame \($0))" } ?? "" }

    private func readText(_ range: LayerRange) -> String {
        let call = timeline.proto == .udp ? "recvfrom" : "recv"
        if timeline.recvIsWhatIf { return "a \(call)(\(range.asked ?? 0)) (what-if)" }
        return range.asked.map { "one \(call)(\($0))" } ?? "one \(call)"
    }

    private func clipped(_ range: Range<UInt64>, to bounds: Range<UInt64>) -> Range<UInt64> {
        max(range.lowerBound, bounds.lowerBound)..<min(range.upperBound, bounds.upperBound)
    }

    static func messageList(_ messages: Range<Int>) -> String {
        guard let first = messages.first, let last = messages.last else { return "no messages" }
        if messages.count == 2 { return "messages \(first) and \(last)" }
        return messages.count == 1 ? "message \(first)" : "messages \(first)–\(last)"
    }

    /// `0.4 ms`, `40 ms`, `1.20 s`.
    static func duration(_ seconds: Double) -> String {
        let ms = seconds * 1000
        if ms < 1 { return String(format1(ms)) + " ms" }
        if ms < 1000 { return "\(Int(ms.rounded())) ms" }
        return format2(seconds) + " s"
    }

    static func format1(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    static func format2(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
