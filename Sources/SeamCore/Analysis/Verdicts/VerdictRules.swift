/// The verdicts of one flow: each rule looks for a program that mishandled the stream and proves it with the
/// calls and packets it names. Rules never judge the proxy's own sockets, never judge from a what-if, and say
/// nothing where the layers they need were not observed. Correct programs get none.
enum VerdictRules {
    static func verdicts(_ flow: FlowTimeline) -> [Verdict] {
        var verdicts: [Verdict] = []
        if flow.proto == .tcp {
            for direction in Direction.allCases {
                verdicts += ActedOnPartialRule.verdicts(flow, direction: direction)
                verdicts += StoppedReadingRule.verdicts(flow, direction: direction)
                verdicts += PartialSendRule.verdicts(flow, direction: direction)
            }
            verdicts += UnansweredRule.verdicts(flow)
        } else {
            for direction in Direction.allCases { verdicts += TruncatedRule.verdicts(flow, direction: direction) }
        }
        return verdicts.sorted { $0.time < $1.time }
    }
}

extension FlowTimeline {
    /// The side whose reads take `direction`'s bytes, when it is a program whose own calls were recorded.
    func observedReader(of direction: Direction) -> FlowPeer? {
        let peer = self[direction.receiver]
        return peer.isObservedProgram && self[direction].recvs != nil && !self[direction].recvIsWhatIf ? peer : nil
    }

    /// The side whose writes send `direction`'s bytes, when it is a program whose own calls were recorded.
    func observedWriter(of direction: Direction) -> FlowPeer? {
        let peer = self[direction.sender]
        return peer.isObservedProgram && self[direction].sends != nil ? peer : nil
    }
}
