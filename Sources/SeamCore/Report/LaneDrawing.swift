/// Draws a direction's lanes as text: one row per layer on one byte axis, `|` at each range start, the
/// range's label inside when it fits, and `^` under a lane where it swallowed a message boundary.
///
/// The axis keeps every boundary visible: each interval between two boundaries (of any lane) gets a few
/// columns, and the rest of the width is shared in proportion to the bytes, so a 5-byte message next to a
/// 3000-byte one still shows.
///
/// ```
///            0                             9
///   send     |hello\n      |feng\n         |
///   segment  |9                            |
///   message  |hello\n      |feng\n         |
///                          ^ messages joined here
/// ```
struct LaneDrawing {
    let timeline: DirectionTimeline
    let observations: [Observation]
    var width = 64
    /// Lanes with more ranges than this are summarised instead of drawn.
    var maximumRanges = LaneDrawing.defaultMaximumRanges
    static let defaultMaximumRanges = 24

    /// Each lane's name and how many ranges it has to draw (segments counted once, without retransmissions).
    static func laneCounts(_ timeline: DirectionTimeline) -> [(name: String, count: Int)] {
        var lanes: [(name: String, count: Int)] = []
        if let sends = timeline.sends { lanes.append(("send", sends.count)) }
        if let segments = timeline.segments {
            let count = timeline.proto == .tcp ? timeline.freshSegments.count : segments.count
            lanes.append((timeline.proto == .tcp ? "segment" : "datagram", count))
        }
        if let recvs = timeline.recvs { lanes.append((timeline.recvIsWhatIf ? "recv?" : "recv", recvs.count)) }
        lanes.append(("message", timeline.messages.count))
        return lanes
    }

    /// What stands for the drawing when a lane has more than `maximumRanges` ranges.
    static func summaryLine(_ lanes: [(name: String, count: Int)], style: TextStyle) -> String {
        "    " + style.dim(lanes.map { "\($0.name) \($0.count)" }.joined(separator: " · ") + " (too many ranges to draw)")
            + "\n"
    }

    func text(style: TextStyle) -> String {
        let total = timeline.bytes
        guard total > 0 else { return "" }
        // Counted before any label is made: a lane too long to draw is only counted (its labels cost more
        // than the whole drawing, a summary escaped per message).
        let counts = Self.laneCounts(timeline)
        if counts.contains(where: { $0.count > maximumRanges }) { return Self.summaryLine(counts, style: style) }
        var lanes: [(String, [LayerRange], [String?])] = []
        if let sends = timeline.sends { lanes.append(("send", sends, sends.map { "\($0.length)" })) }
        if timeline.segments != nil {
            let fresh = timeline.proto == .tcp ? timeline.freshSegments : timeline.segments!
            lanes.append((timeline.proto == .tcp ? "segment" : "datagram", fresh, fresh.map { "\($0.length)" }))
        }
        if let recvs = timeline.recvs {
            lanes.append((timeline.recvIsWhatIf ? "recv?" : "recv", recvs, recvs.map { "\($0.length)" }))
        }
        let messages = timeline.messages.map { LayerRange(range: $0.range, time: $0.time ?? Timestamp(nanoseconds: 0)) }
        lanes.append(("message", messages, timeline.messages.map { $0.summary ?? "\($0.range.count)" }))
        if lanes.contains(where: { $0.1.count > maximumRanges }) {
            return LaneDrawing.summaryLine(lanes.map { ($0.0, $0.1.count) }, style: style)
        }
        var points = Set<UInt64>([0, total])
        for (_, ranges, _) in lanes {
            for range in ranges {
                points.insert(min(range.range.lowerBound, total))
                points.insert(min(range.range.upperBound, total))
            }
        }
        let axis = Axis(points: points.sorted(), width: width)
        var out = "             0" + String(repeating: " ", count: max(0, width - 1 - String(total).count)) + "\(total)\n"
        for (name, ranges, labels) in lanes {
            if name == "message" && ranges.isEmpty {
                out += "    " + name.padding(8) + " " + style.dim("unknown (give --framing, or observe the sender's calls)") + "\n"
                continue
            }
            out += "    " + name.padding(8) + " " + row(ranges, labels: labels, axis: axis) + "\n"
            let marks = observations.filter { $0.kind == .coalesced && $0.layer.rawValue == name }
            if !marks.isEmpty {
                var line = Array(repeating: Character(" "), count: width + 1)
                for finding in marks {
                    for index in finding.messages.dropLast() where index < timeline.messages.count {
                        line[axis.column(timeline.messages[index].range.upperBound)] = "^"
                    }
                }
                out += "             " + String(line).trimmedRight + " messages joined here\n"
            }
        }
        return out
    }

    private func row(_ ranges: [LayerRange], labels: [String?], axis: Axis) -> String {
        var line = Array(repeating: Character(" "), count: width + 1)
        for (index, range) in ranges.enumerated() {
            let start = min(axis.column(range.range.lowerBound), width)
            let end = min(max(axis.column(range.range.upperBound), start + 1), width)
            line[start] = "|"
            if let label = labels[index] {
                // A label that does not fit is cut with a mark, never silently (`10…` is not 10).
                let room = max(0, end - start - 1)
                var shown = Array(label.prefix(room))
                if label.count > room && room > 0 { shown[room - 1] = room > 1 ? "…" : "·" }
                for (i, c) in shown.enumerated() { line[start + 1 + i] = c }
            }
            line[end] = "|"
        }
        return String(line).trimmedRight
    }
}

/// Byte offsets to columns: every interval between boundary points gets a minimum width, the rest is shared
/// in proportion to its bytes.
private struct Axis {
    let points: [UInt64]
    let columns: [Int]

    init(points: [UInt64], width: Int) {
        self.points = points
        let intervals = max(1, points.count - 1)
        let minimum = min(3, width / intervals)
        let spare = Double(width - minimum * intervals)
        let total = Double(max(1, (points.last ?? 1) - (points.first ?? 0)))
        var columns: [Int] = [0]
        var exact = 0.0
        for index in 1..<max(2, points.count) where index < points.count {
            exact += Double(minimum) + spare * Double(points[index] - points[index - 1]) / total
            columns.append(min(width, Int(exact.rounded())))
        }
        self.columns = columns
    }

    func column(_ offset: UInt64) -> Int {
        var low = 0
        var high = points.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if points[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return columns[min(low, columns.count - 1)]
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
    fileprivate var trimmedRight: String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
