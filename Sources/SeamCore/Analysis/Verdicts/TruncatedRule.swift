/// `truncated`: a program's UDP read returned less than its datagram (a `recvfrom(N)` with N smaller than the
/// datagram: the kernel drops the rest). Known from the read itself (MSG_TRUNC, or the recorder's count of
/// the lost bytes), or from the datagram the sender wrote or the capture saw, matched in order. The proxy's
/// `--recv-size` emulation is a what-if and an observation, never this verdict.
enum TruncatedRule {
    static func verdicts(_ flow: FlowTimeline, direction: Direction) -> [Verdict] {
        guard let reader = flow.observedReader(of: direction) else { return [] }
        let timeline = flow[direction]
        let reads = timeline.recvs ?? []
        let datagrams = timeline.segments ?? timeline.sends ?? []
        var verdicts: [Verdict] = []
        for (index, read) in reads.enumerated() {
            var lost = read.truncatedBytes
            let filled = read.call?.returnedFlags.contains(.truncated) == true || read.length == read.asked
            if lost == 0, filled, index < datagrams.count, datagrams[index].datagramLength > read.length {
                lost = datagrams[index].datagramLength - read.length
            }
            guard lost > 0 else { continue }
            let evidence = VerdictEvidence.truncated(
                asked: read.asked ?? read.length, returned: read.returnedLength, datagramBytes: read.returnedLength + lost)
            verdicts.append(
                Verdict(
                    kind: .truncated, flow: flow.id, direction: direction, program: direction.receiver,
                    process: reader.process, message: index, time: read.time, evidence: evidence))
        }
        return verdicts
    }
}
