/// `stopped-reading`: the connection ended while bytes sent to a program were never read, or while a message
/// it had begun to read was not whole. On Linux, closing a socket with unread data makes the kernel send RST
/// instead of FIN, so the capture shows it too.
///
/// - With the program's own reads observed: its close call came while its reads had not reached the end of
///   what was sent to it (the sender's writes, or the captured bytes).
/// - Without them (a proxy session, a plain capture): its kernel sent RST without a FIN before it, and its
///   receive window had shrunk by at least `unreadWindow` bytes and never reopened — data it acknowledged
///   receiving but never read (a window reopens as the program reads). An RST after everything was read (an
///   abortive close, a browser dropping a finished connection) is not judged. The proxy is never judged.
enum StoppedReadingRule {
    /// How much the receiver's window must have shrunk, never to reopen, before the capture alone proves
    /// unread data (more than the granularity of a scaled window, 2^10 on loopback).
    static let unreadWindow: UInt64 = 2048

    static func verdicts(_ flow: FlowTimeline, direction: Direction) -> [Verdict] {
        let side = direction.receiver
        let peer = flow[side]
        guard peer.role == .program else { return [] }
        let incoming = flow[direction]
        let delivered = deliveredBytes(incoming)
        guard delivered > 0 else { return [] }
        let reset = flow[side.sending].senderResetTime
        let finBeforeReset = reset.flatMap { time in flow[side.sending].senderFINTime.map { $0 < time } } ?? false
        let sentReset = reset != nil && !finBeforeReset

        if let reader = flow.observedReader(of: direction) {
            guard let closed = reader.closeTime else { return [] }
            let reads = (incoming.recvs ?? []).filter { !$0.range.isEmpty }
            let readUpTo = reads.map(\.range.upperBound).max() ?? 0
            guard readUpTo < delivered else { return [] }
            let begun = begunMessage(at: readUpTo, in: incoming.messages)
            let evidence = VerdictEvidence.stoppedReading(
                unreadBytes: Int(delivered - readUpTo), delivered: delivered, readUpTo: readUpTo, begunMessage: begun,
                end: .closed(time: closed, sentReset: sentReset))
            return [
                Verdict(
                    kind: .stoppedReading, flow: flow.id, direction: direction, program: side, process: reader.process,
                    message: begun?.index, time: closed, evidence: evidence, framing: incoming.framing)
            ]
        }
        guard let reset, sentReset, incoming.segments != nil, let shrink = incoming.receiverWindowShrink,
            shrink >= unreadWindow
        else { return [] }
        // Data sent to it before its RST: the RST is its close with that data unread.
        let before = (incoming.segments ?? []).filter { $0.time <= reset && !$0.range.isEmpty }
        guard let last = before.map(\.range.upperBound).max(), last > 0 else { return [] }
        let evidence = VerdictEvidence.stoppedReading(
            unreadBytes: Int(min(shrink, last)), delivered: min(delivered, last), readUpTo: nil, begunMessage: nil,
            end: .resetInCapture(time: reset))
        return [
            Verdict(
                kind: .stoppedReading, flow: flow.id, direction: direction, program: side, process: peer.process,
                message: nil, time: reset, evidence: evidence, framing: incoming.framing)
        ]
    }

    /// What was sent towards the reader: the captured bytes, else what the sender's writes put on the axis.
    static func deliveredBytes(_ timeline: DirectionTimeline) -> UInt64 {
        if timeline.segments != nil { return timeline.bytes }
        let sent = (timeline.sends ?? []).map(\.range.upperBound).max() ?? 0
        return max(sent, (timeline.messageSends ?? []).map(\.range.upperBound).max() ?? 0)
    }

    /// The message the reader stopped inside, if it stopped inside one.
    static func begunMessage(at offset: UInt64, in messages: [MessageRange]) -> VerdictEvidence.BegunMessage? {
        guard let index = ActedOnPartialRule.messageIndex(strictlyContaining: offset, in: messages) else { return nil }
        let range = messages[index].range
        return .init(index: index, bytesRead: Int(offset - range.lowerBound), bytes: range.count)
    }
}
