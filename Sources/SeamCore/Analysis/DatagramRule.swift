/// DESIGN.md's rule for datagrams: each datagram is its own boundary, so what can go wrong is the datagram
/// itself. `truncated` (a `recvfrom(N)` shorter than the datagram), and between any two observed layers in
/// flow order (send → datagram → recv): `lost`, `reordered`, `duplicated`, matched by payload when it was
/// recorded, else by length.
enum DatagramRule {
    static func findings(_ timeline: DirectionTimeline, whatIfRecvSize: Int?) -> [Finding] {
        var findings: [Finding] = []
        if let recvs = timeline.recvs {
            for (index, recv) in recvs.enumerated() where recv.truncatedBytes > 0 {
                findings.append(
                    Finding(
                        kind: .truncated, layer: .recv, cause: .recvfromSize, messages: [index], range: recv.range,
                        time: recv.time,
                        evidence: "recvfrom(\(recv.asked ?? recv.returnedLength)) of a \(recv.datagramLength)-byte "
                            + "datagram returned \(recv.returnedLength) bytes and lost the last \(recv.truncatedBytes)",
                        isWhatIf: timeline.recvIsWhatIf))
            }
        } else if let size = whatIfRecvSize, let datagrams = timeline.segments {
            for (index, datagram) in datagrams.enumerated() where datagram.length > size {
                findings.append(
                    Finding(
                        kind: .truncated, layer: .recv, cause: .recvfromSize, messages: [index],
                        range: datagram.range, time: datagram.time,
                        evidence: "a recvfrom(\(size)) of this \(datagram.length)-byte datagram would return "
                            + "\(size) bytes and lose the last \(datagram.length - size) (what-if)",
                        isWhatIf: true))
            }
        }
        var observed: [(Layer, [LayerRange])] = []
        if let sends = timeline.sends { observed.append((.send, sends)) }
        if let datagrams = timeline.segments { observed.append((.datagram, datagrams)) }
        if let recvs = timeline.recvs, !timeline.recvIsWhatIf { observed.append((.recv, recvs)) }
        for pair in zip(observed, observed.dropFirst()) {
            findings += compare(from: pair.0, to: pair.1)
        }
        return findings
    }

    /// Matches the datagrams of a later layer to those of an earlier one, in order.
    static func compare(from earlier: (Layer, [LayerRange]), to later: (Layer, [LayerRange])) -> [Finding] {
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
        var findings: [Finding] = []
        var lastMatched = -1
        for (index, datagram) in got.enumerated() {
            let k = key(datagram)
            if var candidates = waiting[k], !candidates.isEmpty {
                let source = candidates.removeFirst()
                waiting[k] = candidates
                matched.insert(source)
                if source < lastMatched {
                    findings.append(
                        Finding(
                            kind: .reordered, layer: layer, cause: .transit, messages: [source], range: datagram.range,
                            time: datagram.time,
                            evidence: "datagram \(source) arrived after datagram \(lastMatched) at the \(layer.rawValue) layer"))
                }
                lastMatched = max(lastMatched, source)
            } else if sent.indices.contains(where: { matched.contains($0) && key(sent[$0]) == k }) {
                findings.append(
                    Finding(
                        kind: .duplicated, layer: layer, cause: .transit, messages: [index], range: datagram.range,
                        time: datagram.time,
                        evidence: "a \(datagram.length)-byte datagram arrived again at the \(layer.rawValue) layer"))
            }
        }
        // Sent but never seen later: only count it lost if something after it was seen (the capture may end early).
        for index in sent.indices where !matched.contains(index) && index < lastMatched {
            findings.append(
                Finding(
                    kind: .lost, layer: layer, cause: .transit, messages: [index], range: sent[index].range,
                    time: sent[index].time,
                    evidence: "datagram \(index) (\(sent[index].length) bytes) never reached the \(layer.rawValue) layer"))
        }
        return findings
    }
}
