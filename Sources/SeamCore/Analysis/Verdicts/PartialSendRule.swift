/// `partial-send`: a send returned less than it was asked to write (a non-blocking socket whose buffer was
/// full, EAGAIN for nothing at all) and the program never wrote the rest: `send` where `sendall` was meant.
/// A program that retries with the rest (the next send asks for exactly what was left, as sendall does) is
/// correct, however many tries it takes.
enum PartialSendRule {
    static func verdicts(_ flow: FlowTimeline, direction: Direction) -> [Verdict] {
        guard let writer = flow.observedWriter(of: direction) else { return [] }
        let timeline = flow[direction]
        let sends = timeline.sends ?? []
        var verdicts: [Verdict] = []
        for (index, send) in sends.enumerated() {
            guard let asked = send.asked, asked > send.length else { continue }
            let left = asked - send.length
            let next = sends[(index + 1)...].first { $0.asked != nil || $0.length > 0 }
            if let next, let nextAsked = next.asked ?? Optional(next.length), nextAsked == left || nextAsked == asked {
                continue  // sendall's retry: the rest (or, after EAGAIN, the whole again)
            }
            let message = ActedOnPartialRule.messageIndex(strictlyContaining: send.range.upperBound, in: timeline.messages)
                ?? timeline.messages.firstIndex { $0.range.lowerBound == send.range.upperBound }
            let evidence = VerdictEvidence.partialSend(
                asked: asked, accepted: send.length, unwritten: left, nextAsked: next?.asked)
            verdicts.append(
                Verdict(
                    kind: .partialSend, flow: flow.id, direction: direction, program: direction.sender,
                    process: writer.process, message: message, time: send.time, evidence: evidence,
                    framing: timeline.framing))
        }
        return verdicts
    }
}
