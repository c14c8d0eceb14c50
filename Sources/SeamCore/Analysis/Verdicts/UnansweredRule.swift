/// `unanswered`: with request/response pairing (the framing says each client message expects one server
/// message), the server answered fewer requests than it was sent, and the evidence shows it had them: the
/// classic server that takes one read for one request and answers two requests that arrived together once.
///
/// Judged only when it cannot be the client's doing: the server had read the requests (its reads observed),
/// or, from the capture alone, the server kept the connection open and silent for `quietNanoseconds` or more
/// after its last answer while the requests waited, and the client (not the server) ended the connection.
enum UnansweredRule {
    /// How long a server must stay silent with a request waiting before the capture alone proves it unanswered.
    static let quietNanoseconds: Int64 = 200_000_000

    static func verdicts(_ flow: FlowTimeline) -> [Verdict] {
        let requests = flow[.clientToServer]
        let answers = flow[.serverToClient]
        guard flow.server.role == .program, answers.messageSource != .unknown,
            let unanswered = unansweredRequests(requests, answers), let firstUnanswered = unanswered.first
        else { return [] }
        let waiting = requests.messages[firstUnanswered]
        let requestRange = firstUnanswered..<(unanswered.last! + 1)
        let answered = answers.messages.count { $0.isComplete && $0.exchange?.isRequest != true }
        // The request before the first unanswered one: a read that took both shows the server saw them together.
        let previous = requests.messages[..<firstUnanswered].lastIndex { $0.exchange?.isRequest ?? true }

        var sharedRead: Int?
        if flow.observedReader(of: .clientToServer) != nil {
            let reads = (requests.recvs ?? []).filter { !$0.range.isEmpty }
            guard let read = reads.firstIndex(where: { $0.range.upperBound >= waiting.range.upperBound }) else {
                return []  // the server never read it: the client's request went unread, not unanswered
            }
            if let previous, reads[read].range.lowerBound < requests.messages[previous].range.upperBound {
                sharedRead = read + 1
            }
        }
        let lastAnswer = answers.messages.last(where: \.isComplete)?.time ?? answers.messages.last?.time
        let waitingSince = max(waiting.time ?? .now(), lastAnswer ?? waiting.time ?? .now())
        let end = flowEnd(flow)
        let quiet = end.map { $0.time.nanoseconds - waitingSince.nanoseconds }
        if sharedRead == nil {
            // From the capture alone: the server stayed silent and the client gave up.
            guard let end, end.by == .client, let quiet, quiet >= quietNanoseconds else { return [] }
        }
        let evidence = VerdictEvidence.unanswered(
            requests: requestRange, answers: answered, sharedRead: sharedRead, quietNanoseconds: quiet)
        return [
            Verdict(
                kind: .unanswered, flow: flow.id, direction: .clientToServer, program: .server,
                process: flow.server.process, message: firstUnanswered, time: waiting.time ?? waitingSince,
                evidence: evidence, framing: requests.framing)
        ]
    }

    /// The indices (into `requests.messages`) of the complete requests that got no answer, in order; `nil` when
    /// the framing does not pair requests with responses. A framing that marks its messages' exchanges pairs by
    /// them (`MessagePairing`: in order, or by key); a one-to-one pairing (`--pairing`, or marks missing) pairs
    /// the n-th complete request with the n-th complete answer.
    static func unansweredRequests(_ requests: DirectionTimeline, _ answers: DirectionTimeline) -> [Int]? {
        guard requests.framingChoice != .detected else { return nil }
        // The framing's own pairing needs the answers framed by the same protocol (`--framing auto` may pick
        // another framing for the other direction: then nothing pairs).
        if requests.declaredPairing == nil, requests.framing?.pairing != nil || requests.pairing != nil,
            answers.framing != requests.framing
        {
            return nil
        }
        let marked = requests.framing?.pairing != nil && requests.messages.contains { $0.exchange != nil }
        if marked {
            let asked = requests.messages.map { FramedMessage(range: $0.range, isComplete: $0.isComplete, exchange: $0.exchange) }
            let given = answers.messages.filter(\.isComplete).map {
                FramedMessage(range: $0.range, isComplete: true, exchange: $0.exchange)
            }
            return MessagePairing.unanswered(requests: asked, responses: given).filter { requests.messages[$0].isComplete }
        }
        guard let pairing = requests.pairing, pairing.isOneToOne else { return nil }
        let asked = requests.messages.indices.filter { requests.messages[$0].isComplete }
        let answered = answers.messages.count(where: \.isComplete)
        return Array(asked.dropFirst(answered))
    }

    /// Who ended the flow first, and when: the first FIN or RST of either side, or a side's close call.
    static func flowEnd(_ flow: FlowTimeline) -> (time: Timestamp, by: Side)? {
        var ends: [(Timestamp, Side)] = []
        for side in Side.allCases {
            let outgoing = flow[side.sending]
            if let fin = outgoing.senderFINTime { ends.append((fin, side)) }
            if let reset = outgoing.senderResetTime { ends.append((reset, side)) }
            if let closed = flow[side].closeTime { ends.append((closed, side)) }
        }
        return ends.min { $0.0 < $1.0 }.map { (time: $0.0, by: $0.1) }
    }
}

/// How a framing pairs the client's messages with the server's.
struct RequestPairing: Hashable, Sendable {
    /// Each client message expects exactly one server message.
    var isOneToOne: Bool
}

extension DirectionTimeline {
    /// The pairing the direction's framing implies, when it pairs requests with responses.
    var pairing: RequestPairing? {
        // A framing nobody asked for (detected from the bytes) gives observations only.
        guard framingChoice != .detected else { return nil }
        switch framing {
        case .resp?, .http1?, .dnsTCP?: return RequestPairing(isOneToOne: true)
        default: return declaredPairing
        }
    }
}
