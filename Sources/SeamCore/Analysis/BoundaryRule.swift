/// DESIGN.md's rule for byte streams, the observations of one direction.
///
/// For each boundary between two adjacent messages, walk the observed layers in flow order (send → segment →
/// recv) and note the first layer that has one range across it (`coalesced`). For each message, note the first
/// layer that has it in two or more ranges (`split`), and each message the stream ended or a gap cut
/// (`incomplete`). `ObservationCauses` explains each from what the layers hold, claiming a cause only with the
/// evidence that proves it. A layer that was not observed is skipped, never guessed. None of this is a verdict.
enum BoundaryRule {
    static func observations(_ timeline: DirectionTimeline) -> [Observation] {
        let messages = timeline.messages
        guard !messages.isEmpty else { return [] }
        let sends = timeline.sends ?? []
        let segments = timeline.freshSegments
        let recvs = timeline.recvs ?? []
        var layers: [(Layer, [LayerRange])] = []
        if timeline.sends != nil { layers.append((.send, sends)) }
        if timeline.segments != nil { layers.append((.segment, segments)) }
        if timeline.recvs != nil { layers.append((.recv, recvs)) }
        let causes = ObservationCauses(timeline: timeline, sends: sends, segments: segments)
        var observations: [Observation] = []

        // Coalesced: group the lost boundaries by the range that swallowed them, at the first layer.
        var swallowed: [(layer: Int, range: Int, boundaries: ClosedRange<Int>)] = []
        for k in 0..<(messages.count - 1) where messages[k].range.upperBound == messages[k + 1].range.lowerBound {
            let boundary = messages[k].range.upperBound
            for (layerIndex, (_, ranges)) in layers.enumerated() {
                guard let rangeIndex = RangeSearch.index(strictlyContaining: boundary, in: ranges) else { continue }
                if let last = swallowed.indices.last, swallowed[last].layer == layerIndex,
                    swallowed[last].range == rangeIndex
                {
                    swallowed[last].boundaries = swallowed[last].boundaries.lowerBound...k
                } else {
                    swallowed.append((layerIndex, rangeIndex, k...k))
                }
                break
            }
        }
        for group in swallowed {
            let (layer, ranges) = layers[group.layer]
            let range = ranges[group.range]
            let involved = group.boundaries.lowerBound..<(group.boundaries.upperBound + 2)
            let (cause, evidence) = causes.coalesced(at: layer, range: range, messages: involved)
            observations.append(
                Observation(
                    kind: .coalesced, layer: layer, cause: cause, messageRange: involved, range: range.range,
                    time: range.time, evidence: evidence, facts: causes.facts(in: range.range),
                    isWhatIf: layer == .recv && timeline.recvIsWhatIf))
        }

        // Split: the first layer that has a message in two or more ranges.
        for (index, message) in messages.enumerated() where !message.range.isEmpty {
            for (layer, ranges) in layers {
                let pieces = RangeSearch.indexRange(overlapping: message.range, in: ranges)
                guard pieces.count >= 2 else { continue }
                let (cause, evidence) = causes.split(at: layer, message: message, pieces: ranges[pieces])
                observations.append(
                    Observation(
                        kind: .split, layer: layer, cause: cause, messageRange: index..<(index + 1),
                        range: message.range, time: ranges[pieces.lowerBound].time, evidence: evidence,
                        facts: causes.facts(in: message.range), isWhatIf: layer == .recv && timeline.recvIsWhatIf))
                break
            }
        }

        // Incomplete: cut by the end of the stream or a gap, noted, never dropped.
        for (index, message) in messages.enumerated() where !message.isComplete {
            let gap = timeline.gaps.first { $0.overlaps(message.range) || $0.lowerBound == message.range.upperBound }
            observations.append(
                Observation(
                    kind: .incomplete, layer: .message, cause: gap == nil ? .endOfStream : .captureGap,
                    messageRange: index..<(index + 1), range: message.range, time: message.time,
                    evidence: .incomplete(bytesSeen: message.range.count, gap: gap),
                    facts: causes.facts(in: message.range)))
        }
        observations.sort { ($0.range.lowerBound, $0.kind.rawValue) < ($1.range.lowerBound, $1.kind.rawValue) }
        return observations
    }
}
