/// DESIGN.md "Where a boundary is lost: the rule", for byte streams.
///
/// For each boundary between two adjacent messages, walk the observed layers in flow order (send → segment →
/// recv) and report the first layer that has one range across it (`coalesced`). For each message, report
/// the first layer that has it in two or more ranges (`split`). Then explain each finding's cause from the
/// evidence the layers hold: times, sizes, MSS, window. A layer that was not observed is skipped, never
/// guessed.
enum BoundaryRule {
    static func findings(_ timeline: DirectionTimeline) -> [Finding] {
        let messages = timeline.messages
        guard !messages.isEmpty else { return [] }
        let sends = timeline.sends ?? []
        let segments = timeline.freshSegments
        let recvs = timeline.recvs ?? []
        var layers: [(Layer, [LayerRange])] = []
        if timeline.sends != nil { layers.append((.send, sends)) }
        if timeline.segments != nil { layers.append((.segment, segments)) }
        if timeline.recvs != nil { layers.append((.recv, recvs)) }
        let context = Evidence(timeline: timeline, sends: sends, segments: segments, recvs: recvs)
        var findings: [Finding] = []

        // Coalesced: group the lost boundaries by the range that swallowed them, at the first layer.
        var swallowed: [(layer: Int, range: Int, boundaries: [Int])] = []
        for k in 0..<(messages.count - 1) where messages[k].range.upperBound == messages[k + 1].range.lowerBound {
            let boundary = messages[k].range.upperBound
            for (layerIndex, (_, ranges)) in layers.enumerated() {
                guard let rangeIndex = RangeSearch.index(strictlyContaining: boundary, in: ranges) else { continue }
                if let last = swallowed.indices.last, swallowed[last].layer == layerIndex,
                    swallowed[last].range == rangeIndex
                {
                    swallowed[last].boundaries.append(k)
                } else {
                    swallowed.append((layerIndex, rangeIndex, [k]))
                }
                break
            }
        }
        for group in swallowed {
            let (layer, ranges) = layers[group.layer]
            let range = ranges[group.range]
            let involved = group.boundaries.first!..<(group.boundaries.last! + 2)
            let (cause, evidence) = context.coalesced(at: layer, range: range, messages: involved)
            findings.append(
                Finding(
                    kind: .coalesced, layer: layer, cause: cause, messageRange: involved, range: range.range,
                    time: range.time, evidence: evidence, facts: context.facts(in: range.range),
                    isWhatIf: layer == .recv && timeline.recvIsWhatIf))
        }

        // Split: the first layer that has a message in two or more ranges.
        for (index, message) in messages.enumerated() where !message.range.isEmpty {
            for (layer, ranges) in layers {
                let pieces = RangeSearch.indexes(overlapping: message.range, in: ranges).map { ranges[$0] }
                guard pieces.count >= 2 else { continue }
                let (cause, evidence) = context.split(at: layer, message: message, index: index, pieces: pieces)
                findings.append(
                    Finding(
                        kind: .split, layer: layer, cause: cause, messages: [index], range: message.range,
                        time: pieces.first?.time, evidence: evidence, facts: context.facts(in: message.range),
                        isWhatIf: layer == .recv && timeline.recvIsWhatIf))
                break
            }
        }

        // Incomplete: cut by the end of the stream or a gap, reported, never dropped.
        for (index, message) in messages.enumerated() where !message.isComplete {
            let gap = timeline.gaps.first { $0.overlaps(message.range) || $0.lowerBound == message.range.upperBound }
            findings.append(
                Finding(
                    kind: .incomplete, layer: .message, cause: gap == nil ? .endOfStream : .captureGap,
                    messages: [index], range: message.range, time: message.time,
                    evidence: gap.map { "the capture is missing bytes \($0.lowerBound)–\($0.upperBound)" }
                        ?? "the stream ended after \(message.range.count) bytes of it",
                    facts: context.facts(in: message.range)))
        }
        findings.sort { ($0.range.lowerBound, $0.kind.rawValue) < ($1.range.lowerBound, $1.kind.rawValue) }
        return findings
    }
}
