/// One direction of a flow as an inline SVG: four lanes (send, segment or datagram, recv, message) on one byte
/// axis, x = byte offset scaled linearly to the width.
///
/// ```
///   send     [==0–5==][===5–11===]
///   segment  [=======0–11========]     red tick: a range that crosses a message boundary
///   recv     [=======0–11=====|==]
///   message  [hello\n ][ feng\n  ]     red outline: split message; dashed: incomplete
///            0        5          11
/// ```
///
/// Every rectangle has a `<title>` (hover) with its range, length, time, frame, asked size and marks. Each
/// observation's range is outlined in its layer's lane with the id the observations list links to. Output is bounded:
/// at most `cap` rectangles per lane, `cap` boundary ticks per lane and `cap` finding outlines.
struct TimelineSVG {
    static let width = 1300.0
    static let labelWidth = 168.0
    static let rightPad = 18.0
    static let top = 8.0
    static let laneHeight = 30.0
    static let laneGap = 10.0
    static let minRectWidth = 1.5
    static let labelCharWidth = 6.4

    let lanes: [TimelineLane]
    let observations: [Observation]
    /// Each observation's sentence, for its hover text.
    let sentences: [String]
    let anchor: (Int) -> String
    let cap: Int
    /// Message boundaries, sorted: where the other lanes should cut.
    let boundaries: [UInt64]
    let crossingRanges: [[Range<UInt64>]]
    let axisEnd: UInt64
    let gaps: [Range<UInt64>]

    init(
        timeline: DirectionTimeline, observations: [Observation], sentences: [String], anchor: @escaping (Int) -> String,
        cap: Int
    ) {
        self.observations = observations
        self.sentences = sentences
        self.anchor = anchor
        self.cap = cap
        self.gaps = timeline.gaps
        let split = Set(observations.filter { $0.kind == .split }.flatMap(\.messages))
        let isTCP = timeline.proto == .tcp
        let whatIf = timeline.recvIsWhatIf
        /// `1 call`, `2 calls`.
        func plain(_ kind: String) -> (Int) -> String { { "\($0) \(kind)\($0 == 1 ? "" : "s")" } }
        let send = TimelineLane(
            name: "send",
            style: "snd",
            ranges: timeline.sends,
            cap: cap,
            caption: plain("call")
        ) { index, call in
            var title =
                "send \(index) · bytes \(call.range.lowerBound)–\(call.range.upperBound) (\(call.length) B)"
                + " · \(call.time.timeOfDay)"
            if let asked = call.asked { title += asked == call.length ? "" : " · asked to write \(asked) B" }
            return TimelineLane.Item(range: call.range, count: 1, title: title, label: "\(call.length) B")
        }
        let wire = TimelineLane(
            name: isTCP ? "segment" : "datagram",
            style: "seg",
            ranges: timeline.segments,
            cap: cap,
            caption: plain(isTCP ? "segment" : "datagram")
        ) { _, segment in
            var title =
                (isTCP ? "segment" : "datagram") + (segment.frame.map { " · frame \($0)" } ?? "")
                + " · bytes \(segment.range.lowerBound)–\(segment.range.upperBound) (\(segment.length) B)"
                + " · \(segment.time.timeOfDay)"
            let marks = TimelineLane.markWords(segment.marks)
            if !marks.isEmpty { title += " · " + marks.joined(separator: ", ") }
            let classes = segment.marks.contains(.retransmission) ? ["retx"] : []
            return TimelineLane.Item(
                range: segment.range,
                count: 1,
                title: title,
                label: "\(segment.length) B",
                classes: classes
            )
        }
        let recv = TimelineLane(
            name: "recv",
            style: whatIf ? "rcv whatif" : "rcv",
            ranges: timeline.recvs,
            cap: cap,
            caption: { whatIf ? "what-if, " + plain("read")($0) : plain("call")($0) }
        ) { index, call in
            let asked = call.asked.map { "recv(\($0))" } ?? "recv"
            var title =
                (whatIf ? "what-if " : "") + "\(asked) \(index) · bytes \(call.range.lowerBound)–"
                + "\(call.range.upperBound) (\(call.length) B) · \(call.time.timeOfDay)"
            var classes: [String] = []
            if call.truncatedBytes > 0 {
                title += " · lost \(call.truncatedBytes) B off the end of the datagram"
                classes.append("trunc")
            }
            let tail = call.range.upperBound..<call.range.upperBound + UInt64(call.truncatedBytes)
            return TimelineLane.Item(
                range: call.range,
                count: 1,
                title: title,
                label: "\(call.length) B",
                classes: classes,
                lostTail: call.truncatedBytes > 0 ? tail : nil
            )
        }
        let message = TimelineLane(
            messages: timeline.messages,
            source: timeline.messageSource,
            hints: timeline.framingHints,
            split: split,
            cap: cap
        )
        self.lanes = [send, wire, recv, message]

        var cuts: [UInt64] = []
        for (index, m) in timeline.messages.enumerated() {
            if index > 0 { cuts.append(m.range.lowerBound) }
            if index < timeline.messages.count - 1 { cuts.append(m.range.upperBound) }
        }
        cuts.sort()
        self.boundaries = cuts.reduce(into: []) { if $0.last != $1 { $0.append($1) } }
        let fresh = timeline.segments?.filter { !$0.marks.contains(.retransmission) }
        self.crossingRanges = [timeline.sends ?? [], fresh ?? [], timeline.recvs ?? []].map {
            $0.map(\.range).sorted { $0.lowerBound < $1.lowerBound }
        }
        var end = max(timeline.bytes, 1)
        for lane in [timeline.sends, timeline.segments, timeline.recvs] {
            for r in lane ?? [] { end = max(end, r.range.upperBound + UInt64(r.truncatedBytes)) }
        }
        for m in timeline.messages { end = max(end, m.range.upperBound) }
        for r in timeline.gaps + observations.map(\.range) { end = max(end, r.upperBound) }
        self.axisEnd = end
    }

    static var plotWidth: Double { width - labelWidth - rightPad }
    static var height: Double { top + 4 * (laneHeight + laneGap) + 26 }

    func x(_ offset: UInt64) -> Double {
        TimelineSVG.labelWidth + Double(offset) / Double(axisEnd) * TimelineSVG.plotWidth
    }

    static func laneY(_ row: Int) -> Double { top + Double(row) * (laneHeight + laneGap) }

    /// The lane a finding's layer is drawn in.
    static func row(of layer: Layer) -> Int {
        switch layer {
        case .send: return 0
        case .segment, .datagram: return 1
        case .recv: return 2
        case .message: return 3
        }
    }

    /// Notes for the page under the SVG: merged lanes, capped ticks or outlines.
    var notes: [String] {
        var notes = lanes.compactMap(\.mergeNote)
        if observations.count > cap {
            notes.append("\(observations.count - cap) observations beyond the first \(cap) not outlined")
        }
        return notes
    }

    func render(into out: inout String, label: String) {
        let w = TimelineSVG.width
        out += "<svg class=\"timeline\" viewBox=\"0 0 \(n(w)) \(n(TimelineSVG.height))\" "
        out += "role=\"img\" aria-label=\"\(HTMLEscaping.escape(label))\">\n"
        for (row, lane) in lanes.enumerated() { renderLane(lane, row: row, into: &out) }
        renderGaps(into: &out)
        if boundaries.count <= cap {
            let bottom = TimelineSVG.laneY(3) + TimelineSVG.laneHeight
            for b in boundaries {
                out += "<line class=\"cut\" x1=\"\(n(x(b)))\" x2=\"\(n(x(b)))\" y1=\"\(n(TimelineSVG.top))\" "
                out += "y2=\"\(n(bottom))\"/>\n"
            }
        }
        for row in 0..<3 where lanes[row].isObserved { renderCrossings(row: row, into: &out) }
        renderObservations(into: &out)
        renderAxis(into: &out)
        out += "</svg>\n"
    }

    private func renderLane(_ lane: TimelineLane, row: Int, into out: inout String) {
        let y = TimelineSVG.laneY(row)
        let h = TimelineSVG.laneHeight
        out += "<text class=\"lane\" x=\"8\" y=\"\(n(y + 13))\">\(lane.name)</text>"
        out += "<text class=\"cap\" x=\"8\" y=\"\(n(y + 26))\">\(HTMLEscaping.escape(lane.caption, limit: 26))"
        out += "<title>\(HTMLEscaping.escape(lane.caption))</title></text>\n"
        let plotX = TimelineSVG.labelWidth
        guard lane.isObserved else {
            out += "<rect class=\"unobserved\" x=\"\(n(plotX))\" y=\"\(n(y))\" width=\"\(n(TimelineSVG.plotWidth))\" "
            out += "height=\"\(n(h))\"><title>\(lane.name): not observed in this file</title></rect>"
            out += "<text class=\"na\" x=\"\(n(plotX + TimelineSVG.plotWidth / 2))\" y=\"\(n(y + 19))\">"
            out += "\(lane.name) not observed</text>\n"
            return
        }
        out += "<rect class=\"track\" x=\"\(n(plotX))\" y=\"\(n(y))\" width=\"\(n(TimelineSVG.plotWidth))\" "
        out += "height=\"\(n(h))\"/>\n"
        var labels = ""
        var shade = 0
        for item in lane.items {
            let x0 = x(item.range.lowerBound)
            let width = max(x(item.range.upperBound) - x0, TimelineSVG.minRectWidth)
            // A retransmission overlaps the segment it repeats: it takes the lane's lower band, below the labels.
            let isLow = item.classes.contains("retx")
            var classes = [lane.style, shade % 2 == 0 ? "a" : "b"] + item.classes
            if !isLow { shade += 1 }
            if width >= 4 { classes.append("edge") }
            let (top, height) = isLow ? (y + 21, h - 21) : (y, h)
            out += "<rect class=\"\(classes.joined(separator: " "))\" x=\"\(n(x0))\" y=\"\(n(top))\" "
            out += "width=\"\(n(width))\" height=\"\(n(height))\"><title>\(HTMLEscaping.escape(item.title))"
            out += "</title></rect>\n"
            if let tail = item.lostTail {
                let tx = x(tail.lowerBound)
                out += "<rect class=\"lost\" x=\"\(n(tx))\" y=\"\(n(y + 3))\" "
                out += "width=\"\(n(max(x(tail.upperBound) - tx, TimelineSVG.minRectWidth)))\" height=\"\(n(h - 6))\">"
                out += "<title>lost: \(tail.count) B of the datagram that recvfrom did not return</title></rect>\n"
                if x(tail.upperBound) - tx >= 60 {
                    labels += "<text class=\"in\" x=\"\(n(tx + 4))\" y=\"\(n(y + 19))\">lost \(tail.count) B</text>\n"
                }
            }
            if let label = item.label, width >= 30, !isLow {
                let chars = Int((width - 8) / TimelineSVG.labelCharWidth)
                labels += "<text class=\"in\" x=\"\(n(x0 + 4))\" y=\"\(n(y + 19))\">"
                labels += "\(HTMLEscaping.escape(label, limit: max(chars, 3)))</text>\n"
            }
        }
        out += labels
    }

    private func renderGaps(into out: inout String) {
        let y = TimelineSVG.laneY(1)
        for gap in gaps.prefix(cap) {
            let x0 = x(gap.lowerBound)
            let width = max(x(gap.upperBound) - x0, TimelineSVG.minRectWidth)
            out += "<rect class=\"gap\" x=\"\(n(x0))\" y=\"\(n(y))\" width=\"\(n(width))\" "
            out += "height=\"\(n(TimelineSVG.laneHeight))\"><title>gap: the capture never held bytes "
            out += "\(gap.lowerBound)–\(gap.upperBound) (\(gap.count) B)</title></rect>\n"
        }
    }

    /// Red ticks where one range of a layer crosses a message boundary (the boundary is lost there): the whole
    /// lane's height while they are few, a notch at the lane's top when they are dense enough to hide it.
    private func renderCrossings(row: Int, into out: inout String) {
        guard !boundaries.isEmpty else { return }
        var ticks: [(offset: UInt64, range: Range<UInt64>)] = []
        var lastColumn = -1
        for range in crossingRanges[row] where range.count > 1 {
            var i = firstBoundary(after: range.lowerBound)
            while i < boundaries.count, boundaries[i] < range.upperBound, ticks.count < cap {
                // One tick per pixel column: more would draw the same red line again.
                let column = Int(x(boundaries[i]).rounded())
                if column != lastColumn { ticks.append((boundaries[i], range)) }
                lastColumn = column
                i += 1
            }
            if ticks.count >= cap { break }
        }
        let y = TimelineSVG.laneY(row)
        let isDense = Double(ticks.count) > TimelineSVG.plotWidth / 8
        let (top, bottom) = isDense ? (y - 4, y + 7) : (y - 3, y + TimelineSVG.laneHeight + 3)
        let style = isDense ? "cross dense" : "cross"
        for tick in ticks {
            out += "<path class=\"\(style)\" d=\"M\(n(x(tick.offset))) \(n(top))V\(n(bottom))\">"
            out += "<title>message boundary at byte \(tick.offset) lost inside \(lanes[row].name) "
            out += "\(tick.range.lowerBound)–\(tick.range.upperBound)</title></path>\n"
        }
    }

    /// Index of the first boundary strictly greater than `offset`.
    private func firstBoundary(after offset: UInt64) -> Int {
        var low = 0
        var high = boundaries.count
        while low < high {
            let mid = (low + high) / 2
            if boundaries[mid] <= offset { low = mid + 1 } else { high = mid }
        }
        return low
    }

    private func renderObservations(into out: inout String) {
        for (index, observation) in observations.prefix(cap).enumerated() {
            let y = TimelineSVG.laneY(TimelineSVG.row(of: observation.layer))
            let x0 = x(observation.range.lowerBound)
            let width = max(x(observation.range.upperBound) - x0, TimelineSVG.minRectWidth)
            let what = observation.isWhatIf ? "what-if \(observation.kind.rawValue)" : observation.kind.rawValue
            out += "<rect class=\"finding f-\(observation.kind.rawValue)\" id=\"\(anchor(index))\" x=\"\(n(x0 - 2))\" "
            out += "y=\"\(n(y - 4))\" width=\"\(n(width + 4))\" height=\"\(n(TimelineSVG.laneHeight + 8))\">"
            out += "<title>\(what) at \(observation.layer.rawValue) (\(observation.cause.rawValue)) · bytes "
            out += "\(observation.range.lowerBound)–\(observation.range.upperBound): "
            out += "\(HTMLEscaping.escape(index < sentences.count ? sentences[index] : "", limit: 400))</title></rect>\n"
        }
    }

    private func renderAxis(into out: inout String) {
        let y = TimelineSVG.laneY(4) - 4
        out += "<line class=\"axis\" x1=\"\(n(TimelineSVG.labelWidth))\" x2=\"\(n(x(axisEnd)))\" "
        out += "y1=\"\(n(y))\" y2=\"\(n(y))\"/>\n"
        out += "<text class=\"lane\" x=\"8\" y=\"\(n(y + 16))\">byte offset</text>\n"
        let step = TimelineSVG.tickStep(axisEnd)
        var tick: UInt64 = 0
        var ticks: [UInt64] = []
        while tick < axisEnd {
            ticks.append(tick)
            tick += step
        }
        // The end of the axis gets its own label unless the last tick is too close to it.
        if let last = ticks.last, Double(axisEnd - last) / Double(axisEnd) * TimelineSVG.plotWidth < 60 {
            ticks.removeLast()
        }
        ticks.append(axisEnd)
        for tick in ticks {
            let tx = n(x(tick))
            let anchor = tick == 0 ? "start" : tick == axisEnd ? "end" : "middle"
            out += "<path class=\"tick\" d=\"M\(tx) \(n(y))v4\"/>"
            out += "<text class=\"tick\" x=\"\(tx)\" y=\"\(n(y + 16))\" text-anchor=\"\(anchor)\">"
            out += "\(TimelineSVG.grouped(tick))</text>\n"
        }
    }

    /// A 1-2-5 step giving about ten ticks over `end` bytes.
    static func tickStep(_ end: UInt64) -> UInt64 {
        let raw = max(end / 10, 1)
        var magnitude: UInt64 = 1
        while magnitude <= raw / 10 { magnitude *= 10 }
        for factor: UInt64 in [1, 2, 5, 10] where magnitude * factor >= raw { return magnitude * factor }
        return magnitude * 10
    }

    /// `65536` as `65 536` (thin spaces between thousands).
    static func grouped(_ value: UInt64) -> String {
        let digits = String(value)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out += "\u{202F}" }
            out.append(digit)
        }
        return out
    }

    /// A coordinate with at most one decimal.
    func n(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
