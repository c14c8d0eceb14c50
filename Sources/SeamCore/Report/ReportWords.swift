/// Typed results into words: the one place that says in English what the analysis found, so the text, JSON
/// and HTML renderings say the same thing the same way (Wireshark's epan makes its column and tree text from
/// typed fields the same way).
enum ReportWords {
    /// Who sends and who reads a direction, for the sentences: `the client`, `the proxy`.
    struct Parties {
        var sender: FlowPeer
        var receiver: FlowPeer
        var senderSide: Side
        var proto: Transport

        init(flow: FlowReport, direction: Direction) {
            sender = flow.peer(direction.sender)
            receiver = flow.peer(direction.receiver)
            senderSide = direction.sender
            proto = flow.proto
        }

        /// `the client`, `the server`, `the proxy`.
        static func name(_ peer: FlowPeer, _ side: Side) -> String {
            peer.role == .proxy ? "the proxy" : "the \(side.rawValue)"
        }

        var senderName: String { Self.name(sender, senderSide) }
        var receiverName: String { Self.name(receiver, senderSide.other) }
        var read: String { proto == .udp ? "recvfrom" : "recv" }
    }

    // MARK: - Observations

    /// One plain sentence: what, where, and the numbers behind it.
    static func sentence(_ observation: Observation, parties: Parties) -> String {
        let subject = subject(observation)
        guard let evidence = observation.evidence else {
            return "\(subject), bytes \(observation.range.lowerBound)–\(observation.range.upperBound)"
        }
        return "\(subject): " + explanation(evidence, observation: observation, parties: parties)
    }

    /// `messages 0 and 1 (`hello`, `feng`)`.
    static func subject(_ observation: Observation) -> String {
        var subject = messageList(observation.messageRange)
        let names = observation.messageSummaries.map { "`\($0)`" }
        if !names.isEmpty { subject += " (\(names.joined(separator: ", "))\(observation.messageRange.count > 4 ? ", …" : ""))" }
        return subject
    }

    static func explanation(_ evidence: ObservationEvidence, observation: Observation, parties: Parties) -> String {
        let which = messageList(observation.messageRange)
        switch evidence {
        case .sendWrote(let bytes, let time):
            return "one send call of \(parties.senderName) wrote them at once (\(bytes) bytes, at \(time.timeOfDay))"
        case .segmentCarried(let bytes, let frame, let time, let writes):
            var text = "one \(bytes)-byte segment\(frame.map { " (frame \($0))" } ?? "") at \(time.timeOfDay) carried \(which)"
            switch writes {
            case .notObserved:
                text += " (\(parties.senderName)'s send calls were not observed)"
            case .oneWrite:
                text += "; one send call of \(parties.senderName) wrote them together"
            case .joined(let count, let span, let reason):
                text += "; \(parties.senderName)'s \(count) send calls over \(duration(span)) were joined by its kernel"
                switch reason {
                case .nagle(let inFlight):
                    text += ": Nagle's algorithm held the later send while \(inFlight) "
                        + "segment\(inFlight == 1 ? " was" : "s were") unacknowledged and TCP_NODELAY was off"
                case .cork: text += ": TCP_CORK was on"
                case .moreFlag: text += ": the earlier send passed MSG_MORE"
                case .unproven: text += " (Nagle or cork; the kernel's state at the sends was not observed)"
                }
            }
            return text
        case .readReturned(let bytes, let asked, let time, let arrivals):
            var text = "one \(parties.read)\(asked.map { "(\($0))" } ?? "") of \(parties.receiverName)"
            text += "\(observation.isWhatIf ? " (what-if)" : "") at \(time.timeOfDay) returned \(which) (\(bytes) bytes)"
            guard let arrivals else { return text + "; when they arrived was not observed" }
            let place = arrivals.segments == 1 ? "in one segment" : "in \(arrivals.segments) segments"
            if arrivals.waitedNanoseconds >= ObservationThresholds.backlogNanoseconds {
                text += "; they had arrived \(place) between \(arrivals.first.timeOfDay) and \(arrivals.last.timeOfDay) "
                text += "and waited \(duration(arrivals.waitedNanoseconds)) in its buffer (receiver backlog)"
            } else {
                text += "; they arrived \(place) within \(duration(arrivals.last.nanoseconds - arrivals.first.nanoseconds))"
                text += " and the read took them \(duration(arrivals.waitedNanoseconds)) later"
            }
            return text
        case .splitOverSends(let pieces, let bytes, let short):
            if let short {
                return "\(bytes) bytes took \(pieces.count) send calls (\(pieces)): a send at \(short.time.timeOfDay) "
                    + "accepted \(short.accepted) of \(short.asked) bytes"
            }
            return "\(parties.senderName) wrote its \(bytes) bytes in \(pieces.count) send calls (\(pieces)), each taken whole"
        case .splitOverSegments(let pieces, let bytes, let segmentation):
            let text = "\(bytes) bytes went out in \(pieces.count) segments (\(pieces))"
            switch segmentation {
            case .reachedMSS(let mss): return text + "; a segment reached the MSS (\(mss) bytes)"
            case .windowLimited(let time): return text + "; at \(time.timeOfDay) the receiver's window was full"
            case .oneSendSeveralSegments(let mss):
                return text + ", each below the MSS\(mss.map { " of \($0)" } ?? ""), though one send wrote them"
            case .severalSends(let count): return text + "; \(parties.senderName) wrote them in \(count) send calls"
            case .unexplained(let mss):
                return text + ", each below the MSS\(mss.map { " of \($0)" } ?? "") (the sender's calls were not observed)"
            }
        case .splitOverReads(let pieces, let bytes, let limit, let firstRead, let lastArrival, let whatIf):
            var text = "\(bytes) bytes took \(pieces.count) reads (\(pieces))\(whatIf ? " (what-if)" : "")"
            if let limit {
                text += "; \(parties.receiverName)'s \(parties.read)(\(limit)) asks for fewer bytes than the message"
            } else if let lastArrival, firstRead < lastArrival {
                text += "; the first read, at \(firstRead.timeOfDay), came before the last byte arrived at "
                text += "\(lastArrival.timeOfDay)"
            }
            return text
        case .incomplete(let seen, let gap):
            if let gap { return "the capture is missing bytes \(gap.lowerBound)–\(gap.upperBound)" }
            return "the stream ended after \(seen) bytes of it"
        case .wouldTruncate(let asked, let datagram):
            return "a \(parties.read)(\(asked)) of this \(datagram)-byte datagram would return \(asked) bytes and lose "
                + "the last \(datagram - asked)"
        case .datagramLost(let index, let bytes, let layer):
            return "datagram \(index) (\(bytes) bytes) never reached the \(layer.rawValue) layer"
        case .datagramReordered(let index, let after, let layer):
            return "datagram \(index) reached the \(layer.rawValue) layer after datagram \(after)"
        case .datagramDuplicated(let bytes, let layer):
            return "a \(bytes)-byte datagram reached the \(layer.rawValue) layer again"
        case .rechunked(let rechunk, let pieces):
            switch rechunk {
            case .split: return "Seam cut the write into \(pieces) pieces on purpose (proxy --rechunk, seam check), not TCP"
            case .coalesce:
                let what = pieces > 1 ? "\(pieces) writes" : "the messages"
                return "Seam joined \(what) into one write on purpose (proxy --rechunk, seam check), not TCP"
            case .truncate: return "the proxy cut the datagram short on purpose (--udp-truncate)"
            }
        }
    }

    /// `coalesced at segment [sender-coalescing]`.
    static func heading(_ observation: Observation) -> String {
        "\(observation.kind.rawValue) at \(observation.layer.rawValue)\(observation.isWhatIf ? " (what-if)" : "")"
            + " [\(observation.cause.rawValue)]"
    }

    /// One line of a direction's summary: `12 messages shared a segment with the next one (sender coalescing)`.
    static func summary(_ count: ObservationCount) -> String {
        let cause = String(count.cause.rawValue.map { $0 == "-" ? " " : $0 })
        let whatIf = count.isWhatIf ? ", what-if" : ""
        let n = count.messages
        switch (count.kind, count.layer) {
        case (.coalesced, .segment):
            return "\(n) message \(n == 1 ? "boundary" : "boundaries") inside a segment (\(cause)\(whatIf))"
        case (.coalesced, .send):
            return "\(n) message \(n == 1 ? "boundary" : "boundaries") inside a send call (\(cause)\(whatIf))"
        case (.coalesced, _):
            return "\(n) message \(n == 1 ? "boundary" : "boundaries") inside a read (\(cause)\(whatIf))"
        case (.split, .send): return "\(plural(n, "message")) written in several send calls (\(cause)\(whatIf))"
        case (.split, .segment): return "\(plural(n, "message")) over several segments (\(cause)\(whatIf))"
        case (.split, _): return "\(plural(n, "message")) needed several reads (\(cause)\(whatIf))"
        case (.incomplete, _): return "\(plural(n, "message")) incomplete (\(cause))"
        default: return "\(plural(count.count, "datagram")) \(count.kind.rawValue) (\(cause)\(whatIf))"
        }
    }

    // MARK: - Facts and notes

    static func fact(_ fact: TCPFact) -> String {
        switch fact {
        case .retransmissions(let n): return "\(n) retransmitted \(n == 1 ? "segment" : "segments")"
        case .outOfOrder(let n): return "\(n) out-of-order \(n == 1 ? "segment" : "segments")"
        case .captureGap(let gap): return "capture gap of \(gap.count) bytes at \(gap.lowerBound)"
        case .zeroWindow: return "zero window"
        case .reset(let time, let side):
            return "connection reset\(side.map { " by the \($0.rawValue)" } ?? "") at \(time.timeOfDay)"
        case .superSegments: return "segments larger than the MSS (GSO/TSO on the capturing host)"
        }
    }

    static func note(_ note: ReportNote) -> String {
        switch note {
        case .plainCapture:
            return "plain capture: send and recv calls were not observed, so only segments are compared and verdicts "
                + "come from the packets alone (run the programs under `seam trace` to judge their reads)"
        case .noSegments:
            return "no segments in this file (capture was off or not permitted): the segment layer is missing"
        case .messagesUnknown:
            return "messages unknown where no framing was given and the sender's own calls were not observed: try --framing"
        case .programsNotObserved:
            return "the proxy's reads and writes are its own, not the programs': the programs' reads were not observed "
                + "(run them under `seam trace` to judge them)"
        case .unreadableCalls(let n): return "\(n) call records could not be read"
        case .briefObservations(let count, let flows, let perDirection):
            return "\(count) observations after the first \(flows) flows (or the first \(perDirection) of a direction) "
                + "are brief: --flow ID spells out a flow"
        case .lateSegments(let count, let bytes):
            return "\(count) segments (\(bytes) new bytes) came after their flow had closed and gone quiet: not in this report"
        case .callsAfterFlowsClosed(let n):
            return "call records began after \(n) flows had closed: those flows are shown without calls"
        case .connectFailed(let connection, let leg, let to, let failure):
            let whose = leg == .upstream ? "the proxy's connect" : "the connect"
            let target = to.map { " to \($0)" } ?? ""
            let outcome =
                failure.errorNumber?.name == "ECONNREFUSED"
                ? "was refused (ECONNREFUSED)" : "failed with \(failure.errorNumber?.description ?? failure.reason ?? "an error")"
            return "connection \(connection): \(whose)\(target) \(outcome)"
                + (leg == .upstream ? ": no bytes relayed" : "")
        case .session(let settings): return "session: \(settings.readable)"
        case .capture(let note): return capture(note)
        }
    }

    static func capture(_ note: CaptureNote) -> String {
        switch note {
        case .unsupportedLinkType(let type, let count):
            return "\(count) \(plural(count, "packet", bare: true)) of link type \(type.name) (\(type.rawValue)) not decoded"
        case .notIP(let count): return "\(count) \(plural(count, "packet", bare: true)) not IP (ARP, LLDP, …)"
        case .otherIP(let count): return "\(count) IP \(plural(count, "packet", bare: true)) neither TCP nor UDP"
        case .malformed(let problem, let count): return "\(count) malformed: \(problem)"
        case .fragments(let count): return "\(count) IP \(plural(count, "fragment", bare: true)) reassembled or held"
        }
    }

    // MARK: - Helpers

    static func messageList(_ messages: Range<Int>) -> String {
        guard let first = messages.first, let last = messages.last else { return "no messages" }
        if messages.count == 2 { return "messages \(first) and \(last)" }
        return messages.count == 1 ? "message \(first)" : "messages \(first)–\(last)"
    }

    /// `3 messages`, `1 message`; `bare` leaves the number out.
    static func plural(_ n: Int, _ word: String, bare: Bool = false) -> String {
        let noun = n == 1 ? word : word + "s"
        return bare ? noun : "\(n) \(noun)"
    }

    /// `0.4 ms`, `40 ms`, `1.20 s`.
    static func duration(_ nanoseconds: Int64) -> String {
        let ms = Double(nanoseconds) / 1e6
        if ms < 1 { return format1(ms) + " ms" }
        if ms < 1000 { return "\(Int(ms.rounded())) ms" }
        return format2(ms / 1000) + " s"
    }

    static func format1(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    static func format2(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
