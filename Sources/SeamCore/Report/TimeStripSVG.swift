/// The time view of a connection: time on x, one row per observed call layer of each direction (send,
/// segment or datagram, recv; client → server first, then server → client), a mark per event, so "the reply
/// was read after the next request was sent" can be seen. A light bar before each read spans from the arrival
/// of the first of its bytes to the read: how long the data waited (a long bar holding several segment marks
/// is receiver backlog).
///
/// Bounded like the byte view: a row of more than `cap` events is drawn as one mark per pixel column.
struct TimeStripSVG {
    static let rowHeight = 13.0
    static let rowGap = 5.0
    static let top = 6.0

    struct Row {
        var name: String
        var style: String
        var events: [LayerRange]?
        /// For a recv row: the segments of its direction, sorted by offset, for the wait bars.
        var arrivals: [LayerRange]?
    }

    let rows: [Row]
    let start: Timestamp
    let span: Int64
    let cap: Int

    init?(flow: FlowReport, cap: Int) {
        var rows: [Row] = []
        for direction in Direction.allCases {
            let report = flow.direction(direction)
            guard !report.isEmpty, report.hasRanges else { continue }
            let timeline = report.timeline
            let wire = timeline.proto == .tcp ? "segment" : "datagram"
            let name = direction.rawValue
            rows.append(Row(name: "\(name) send", style: "tsnd", events: timeline.sends))
            rows.append(Row(name: "\(name) \(wire)", style: "tseg", events: timeline.segments))
            rows.append(
                Row(
                    name: timeline.recvIsWhatIf ? "\(name) recv?" : "\(name) recv", style: "trcv", events: timeline.recvs,
                    arrivals: timeline.segments == nil ? nil : timeline.freshSegments))
        }
        let times = rows.flatMap { $0.events ?? [] }.map(\.time)
        // A single instant has no time axis to draw.
        guard let first = times.min(), let last = times.max(), first < last else { return nil }
        self.rows = rows
        start = first
        span = max(last.nanoseconds - first.nanoseconds, 1_000)
        self.cap = cap
    }

    var height: Double { TimeStripSVG.top + Double(rows.count) * (TimeStripSVG.rowHeight + TimeStripSVG.rowGap) + 20 }

    func x(_ time: Timestamp) -> Double {
        TimelineSVG.labelWidth + Double(time.nanoseconds - start.nanoseconds) / Double(span) * TimelineSVG.plotWidth
    }

    func render(into out: inout String, label: String) {
        out += "<svg class=\"timeline time\" viewBox=\"0 0 \(n(TimelineSVG.width)) \(n(height))\" "
        out += "role=\"img\" aria-label=\"\(HTMLEscaping.escape(label))\">\n"
        for (index, row) in rows.enumerated() {
            let y = TimeStripSVG.top + Double(index) * (TimeStripSVG.rowHeight + TimeStripSVG.rowGap)
            out += "<text class=\"cap\" x=\"8\" y=\"\(n(y + 11))\">\(row.name)</text>"
            out += "<rect class=\"track\" x=\"\(n(TimelineSVG.labelWidth))\" y=\"\(n(y))\" "
            out += "width=\"\(n(TimelineSVG.plotWidth))\" height=\"\(n(TimeStripSVG.rowHeight))\"/>\n"
            guard let events = row.events else {
                out += "<text class=\"na\" x=\"\(n(TimelineSVG.labelWidth + TimelineSVG.plotWidth / 2))\" "
                out += "y=\"\(n(y + 11))\">not observed</text>\n"
                continue
            }
            if let arrivals = row.arrivals, events.count <= cap { renderWaits(events, arrivals: arrivals, y: y, into: &out) }
            if events.count <= cap {
                for event in events {
                    out += "<rect class=\"\(row.style)\" x=\"\(n(x(event.time) - 1))\" y=\"\(n(y))\" width=\"2\" "
                    out += "height=\"\(n(TimeStripSVG.rowHeight))\"><title>\(row.name) · bytes "
                    out += "\(event.range.lowerBound)–\(event.range.upperBound) (\(event.length) B)"
                    out += event.frame.map { " · frame \($0)" } ?? ""
                    out += " · \(event.time.timeOfDay) (\(offset(event.time)))</title></rect>\n"
                }
            } else {
                renderColumns(events, row: row, y: y, into: &out)
            }
        }
        renderAxis(into: &out)
        out += "</svg>\n"
    }

    /// For each read, a bar from the arrival of the first segment holding its bytes to the read.
    private func renderWaits(_ recvs: [LayerRange], arrivals: [LayerRange], y: Double, into out: inout String) {
        guard !arrivals.isEmpty else { return }
        for recv in recvs where !recv.range.isEmpty {
            guard let index = RangeSearch.indexRange(overlapping: recv.range, in: arrivals).first else { continue }
            let arrival = arrivals[index].time
            guard arrival < recv.time else { continue }
            let x0 = x(arrival)
            out += "<rect class=\"wait\" x=\"\(n(x0))\" y=\"\(n(y + 3))\" width=\"\(n(max(x(recv.time) - x0, 1)))\" "
            out += "height=\"\(n(TimeStripSVG.rowHeight - 6))\"><title>bytes \(recv.range.lowerBound)–"
            out +=
                "\(recv.range.upperBound) waited \(TimeStripSVG.duration(recv.time.nanoseconds - arrival.nanoseconds))"
            out += " between the arrival of the first of them and the read</title></rect>\n"
        }
    }

    /// Beyond the cap: one mark per pixel column, with how many events it stands for.
    private func renderColumns(_ events: [LayerRange], row: Row, y: Double, into out: inout String) {
        var columns: [Int: (count: Int, first: Timestamp, last: Timestamp)] = [:]
        for event in events {
            let column = Int(x(event.time))
            if let c = columns[column] {
                columns[column] = (c.count + 1, min(c.first, event.time), max(c.last, event.time))
            } else {
                columns[column] = (1, event.time, event.time)
            }
        }
        for (column, c) in columns.sorted(by: { $0.key < $1.key }) {
            out += "<rect class=\"\(row.style)\" x=\"\(column)\" y=\"\(n(y))\" width=\"1.5\" "
            out +=
                "height=\"\(n(TimeStripSVG.rowHeight))\"><title>\(c.count) \(row.name) event\(c.count == 1 ? "" : "s")"
            out += " · \(c.first.timeOfDay) – \(c.last.timeOfDay)</title></rect>\n"
        }
    }

    private func renderAxis(into out: inout String) {
        let y = TimeStripSVG.top + Double(rows.count) * (TimeStripSVG.rowHeight + TimeStripSVG.rowGap) - 2
        let end = Timestamp(nanoseconds: start.nanoseconds + span)
        out += "<line class=\"axis\" x1=\"\(n(TimelineSVG.labelWidth))\" x2=\"\(n(x(end)))\" y1=\"\(n(y))\" "
        out += "y2=\"\(n(y))\"/><text class=\"lane\" x=\"8\" y=\"\(n(y + 15))\">time</text>\n"
        let step = Int64(TimelineSVG.tickStep(UInt64(span)))
        var tick: Int64 = 0
        while tick <= span {
            // The first label is a wide time of day: no tick label closer to it than 130 px.
            if tick > 0, Double(tick) / Double(span) * TimelineSVG.plotWidth < 130 {
                tick += step
                continue
            }
            let tx = n(x(Timestamp(nanoseconds: start.nanoseconds + tick)))
            let anchor = tick == 0 ? "start" : span - tick < step / 2 ? "end" : "middle"
            let text = tick == 0 ? start.timeOfDay : "+" + TimeStripSVG.duration(tick)
            out += "<path class=\"tick\" d=\"M\(tx) \(n(y))v4\"/><text class=\"tick\" x=\"\(tx)\" y=\"\(n(y + 15))\" "
            out += "text-anchor=\"\(anchor)\">\(text)</text>\n"
            tick += step
        }
    }

    private func offset(_ time: Timestamp) -> String {
        "+" + TimeStripSVG.duration(time.nanoseconds - start.nanoseconds)
    }

    /// Nanoseconds as `850 µs`, `3.1 ms`, `2.5 s`.
    static func duration(_ nanoseconds: Int64) -> String {
        func one(_ value: Double) -> String {
            let r = (value * 10).rounded() / 10
            return r == r.rounded() ? String(Int64(r)) : String(r)
        }
        if nanoseconds < 1_000_000 { return one(Double(nanoseconds) / 1e3) + " µs" }
        if nanoseconds < 1_000_000_000 { return one(Double(nanoseconds) / 1e6) + " ms" }
        return one(Double(nanoseconds) / 1e9) + " s"
    }

    private func n(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
