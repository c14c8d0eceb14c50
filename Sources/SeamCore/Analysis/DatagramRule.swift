/// DESIGN.md's rule for datagrams, the observations of one direction: each datagram is its own boundary, so
/// what can go wrong is the datagram itself. Between any two observed layers in flow order (send → datagram →
/// recv): `lost`, `reordered`, `duplicated`, matched by payload when it was recorded, else by length. A read
/// that lost a datagram's tail is a verdict (`TruncatedRule`) when a program made it; the proxy's
/// `--recv-size` emulation, and `--recv-size N` on a plain capture, are what-if observations here.
enum DatagramRule {
    /// - Parameter emulatedTruncation: the reads are the proxy's own `--recv-size` emulation: `.whatIf` (it
    ///   relayed whole datagrams) or `.real` (`--udp-truncate`: it cut them on purpose); `nil` otherwise.
    static func observations(
        _ timeline: DirectionTimeline, whatIfRecvSize: Int?, emulatedTruncation: EmulatedTruncation?
    ) -> [Observation] {
        var observations: [Observation] = []
        if let recvs = timeline.recvs, let emulatedTruncation {
            for (index, recv) in recvs.enumerated() where recv.truncatedBytes > 0 {
                let whatIf = emulatedTruncation == .whatIf
                observations.append(
                    Observation(
                        kind: .truncated, layer: .recv, cause: whatIf ? .recvfromSize : .rechunk,
                        messageRange: index..<(index + 1), range: recv.range, time: recv.time,
                        evidence: .wouldTruncate(asked: recv.asked ?? recv.returnedLength, datagramBytes: recv.datagramLength),
                        isWhatIf: whatIf))
            }
        } else if timeline.recvs == nil, let size = whatIfRecvSize, let datagrams = timeline.segments {
            for (index, datagram) in datagrams.enumerated() where datagram.length > size {
                observations.append(
                    Observation(
                        kind: .truncated, layer: .recv, cause: .recvfromSize, messageRange: index..<(index + 1),
                        range: datagram.range, time: datagram.time,
                        evidence: .wouldTruncate(asked: size, datagramBytes: datagram.length), isWhatIf: true))
            }
        }
        if let sends = timeline.sends { observations += rechunkedSends(sends) }
        var observed: [(Layer, [LayerRange])] = []
        if let sends = timeline.sends { observed.append((.send, sends)) }
        if let datagrams = timeline.segments { observed.append((.datagram, datagrams)) }
        if let recvs = timeline.recvs, !timeline.recvIsWhatIf { observed.append((.recv, recvs)) }
        for pair in zip(observed, observed.dropFirst()) {
            observations += compare(from: pair.0, to: pair.1)
        }
        return observations
    }

    /// Datagrams `seam proxy --rechunk split:N` cut out of one datagram on purpose: consecutive sends marked
    /// `rechunk=split`, a run ending at a piece shorter than its first (the original datagram's tail).
    static func rechunkedSends(_ sends: [LayerRange]) -> [Observation] {
        var observations: [Observation] = []
        var index = 0
        while index < sends.count {
            guard sends[index].call?.rechunk == .split else {
                index += 1
                continue
            }
            var end = index + 1
            while end < sends.count, sends[end].call?.rechunk == .split, sends[end - 1].length == sends[index].length {
                end += 1
            }
            observations.append(
                Observation(
                    kind: .split, layer: .send, cause: .rechunk, messageRange: index..<end,
                    range: sends[index].range.lowerBound..<sends[end - 1].range.upperBound, time: sends[index].time,
                    evidence: .rechunked(.split, pieces: end - index)))
            index = end
        }
        return observations
    }

    /// Whether the proxy's truncation of datagrams was a what-if or real.
    enum EmulatedTruncation: Hashable, Sendable {
        case whatIf
        case real
    }

    /// Matches the datagrams of a later layer to those of an earlier one, in order.
    static func compare(from earlier: (Layer, [LayerRange]), to later: (Layer, [LayerRange])) -> [Observation] {
        let (_, sent) = earlier
        let (layer, got) = later
        func identity(_ range: LayerRange) -> UInt64 {
            range.payloadHash != 0 ? range.payloadHash : UInt64(range.datagramLength) << 1
        }
        let useHashes = sent.allSatisfy { $0.payloadHash != 0 } && got.allSatisfy { $0.payloadHash != 0 }
        let key: (LayerRange) -> UInt64 = useHashes ? identity : { UInt64($0.datagramLength) }
        var waiting: [UInt64: [Int]] = [:]
        for (index, datagram) in sent.enumerated() { waiting[key(datagram), default: []].append(index) }
        var matched = Set<Int>()
        var observations: [Observation] = []
        var lastMatched = -1
        for (index, datagram) in got.enumerated() {
            let k = key(datagram)
            if var candidates = waiting[k], !candidates.isEmpty {
                let source = candidates.removeFirst()
                waiting[k] = candidates
                matched.insert(source)
                if source < lastMatched {
                    observations.append(
                        Observation(
                            kind: .reordered, layer: layer, cause: .transit, messageRange: source..<(source + 1),
                            range: datagram.range, time: datagram.time,
                            evidence: .datagramReordered(index: source, after: lastMatched, layer: layer)))
                }
                lastMatched = max(lastMatched, source)
            } else if sent.indices.contains(where: { matched.contains($0) && key(sent[$0]) == k }) {
                observations.append(
                    Observation(
                        kind: .duplicated, layer: layer, cause: .transit, messageRange: index..<(index + 1),
                        range: datagram.range, time: datagram.time,
                        evidence: .datagramDuplicated(bytes: datagram.length, layer: layer)))
            }
        }
        // Sent but never seen later: only lost if something after it was seen (the capture may end early).
        for index in sent.indices where !matched.contains(index) && index < lastMatched {
            observations.append(
                Observation(
                    kind: .lost, layer: layer, cause: .transit, messageRange: index..<(index + 1),
                    range: sent[index].range, time: sent[index].time,
                    evidence: .datagramLost(index: index, bytes: sent[index].length, layer: layer)))
        }
        return observations
    }
}
