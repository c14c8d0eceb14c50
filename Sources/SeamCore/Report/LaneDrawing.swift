/// Draws a direction's lanes as text: one row per layer on one scaled byte axis, `|` at each range start,
/// the range's label inside when it fits, and `^` under a lane where it swallowed a message boundary.
///
/// ```
///            0                             9
///   send     |hello\n      |feng\n         |
///   segment  |9                            |
///   message  |hello\n      |feng\n         |
///                          ^ coalesced
/// ```
struct LaneDrawing {
    let timeline: DirectionTimeline
    let findings: [Finding]
    var width = 64
    /// Lanes with more ranges than this are summarised instead of drawn.
    var maximumRanges = 24

    func text(style: TextStyle) -> String {
        let total = timeline.bytes
        guard total > 0 else { return "" }
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
            return "    " + style.dim(lanes.map { "\($0.0) \($0.1.count)" }.joined(separator: " · ") + " (too many ranges to draw)") + "\n"
        }
        var out = "             0" + String(repeating: " ", count: max(0, width - 1 - String(total).count)) + "\(total)\n"
        for (name, ranges, labels) in lanes {
            out += "    " + name.padding(8) + " " + row(ranges, labels: labels, total: total) + "\n"
            let marks = findings.filter { $0.kind == .coalesced && $0.layer.rawValue == name }
            if !marks.isEmpty {
                var line = Array(repeating: Character(" "), count: width + 1)
                for finding in marks {
                    for index in finding.messages.dropLast() where index < timeline.messages.count {
                        line[column(timeline.messages[index].range.upperBound, total)] = "^"
                    }
                }
                out += "             " + style.red(String(line).trimmedRight + " boundary lost here") + "\n"
            }
        }
        return out
    }

    private func column(_ offset: UInt64, _ total: UInt64) -> Int {
        Int((Double(offset) / Double(total) * Double(width)).rounded(.down))
    }

    private func row(_ ranges: [LayerRange], labels: [String?], total: UInt64) -> String {
        var line = Array(repeating: Character(" "), count: width + 1)
        for (index, range) in ranges.enumerated() {
            let start = min(column(range.range.lowerBound, total), width)
            let end = min(max(column(range.range.upperBound, total), start + 1), width)
            line[start] = "|"
            if let label = labels[index] {
                for (i, c) in label.prefix(max(0, end - start - 1)).enumerated() { line[start + 1 + i] = c }
            }
            line[end] = "|"
        }
        return String(line).trimmedRight
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
