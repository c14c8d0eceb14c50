/// Explains an observation: picks its cause from what the layers hold, and keeps the numbers behind it. A
/// cause is named only when the evidence proves it (`mss` only when a segment reached the MSS, `window` only
/// with a full or zero window, receiver backlog only past `ObservationThresholds.backlogNanoseconds`);
/// otherwise the cause is what the layers do show, or `unexplained`.
struct ObservationCauses {
    let timeline: DirectionTimeline
    let sends: [LayerRange]
    let segments: [LayerRange]

    // MARK: - Coalesced

    func coalesced(at layer: Layer, range: LayerRange, messages: Range<Int>) -> (Observation.Cause, ObservationEvidence) {
        switch layer {
        case .send:
            if range.call?.rechunk == .coalesce { return (.rechunk, .rechunked(.coalesce, pieces: 1)) }
            return (.senderCoalescing, .sendWrote(bytes: range.length, time: range.time))
        case .segment:
            let writers = sends[RangeSearch.indexRange(overlapping: range.range, in: sends)]
            let writes: ObservationEvidence.Writes
            if timeline.sends == nil {
                writes = .notObserved
            } else if writers.count <= 1 {
                writes = .oneWrite
            } else {
                let first = writers.first!
                let last = writers.last!
                writes = .joined(
                    count: writers.count, spanNanoseconds: last.time.nanoseconds - first.time.nanoseconds,
                    reason: joinReason(writers))
            }
            if writers.contains(where: { $0.call?.rechunk == .coalesce }) {
                return (.rechunk, .rechunked(.coalesce, pieces: writers.count))
            }
            return (
                .senderCoalescing,
                .segmentCarried(bytes: range.length, frame: range.frame, time: range.time, writes: writes)
            )
        default:
            let arrivals = self.arrivals(of: range, firstMessage: timeline.messages[messages.lowerBound])
            let evidence = ObservationEvidence.readReturned(
                bytes: range.length, asked: range.asked, time: range.time, arrivals: arrivals)
            guard let arrivals else { return (.unexplained, evidence) }
            if arrivals.waitedNanoseconds >= ObservationThresholds.backlogNanoseconds {
                return (.receiverBacklog, evidence)
            }
            return (.arrivedTogether, evidence)
        }
    }

    /// Why the kernel joined these writes, from the later sends' kernel state or the earlier sends' flags.
    private func joinReason(_ writers: ArraySlice<LayerRange>) -> ObservationEvidence.JoinReason {
        for writer in writers.dropFirst() {
            guard let kernel = writer.call?.kernel else { continue }
            if kernel.cork { return .cork }
            if !kernel.noDelay && kernel.packetsInFlight > 0 { return .nagle(inFlight: kernel.packetsInFlight) }
        }
        if writers.dropLast().contains(where: { $0.call?.flags.contains(.more) == true }) { return .moreFlag }
        return .unproven
    }

    /// When the bytes of a read arrived (segments, or the sender's writes when nothing was captured), and how long
    /// the read came after the first message it returned was whole.
    private func arrivals(of read: LayerRange, firstMessage: MessageRange) -> ObservationEvidence.Arrivals? {
        let source = timeline.segments != nil ? segments : sends
        guard !source.isEmpty else { return nil }
        let carriers = source[RangeSearch.indexRange(overlapping: read.range, in: source)]
        guard let first = carriers.first, let last = carriers.last else { return nil }
        let endOfFirst = min(firstMessage.range.upperBound, read.range.upperBound) - 1
        let whole = RangeSearch.index(holding: endOfFirst, in: source).map { source[$0].time } ?? first.time
        return ObservationEvidence.Arrivals(
            segments: carriers.count, first: first.time, last: last.time,
            waitedNanoseconds: max(0, read.time.nanoseconds - whole.nanoseconds))
    }

    // MARK: - Split

    func split(at layer: Layer, message: MessageRange, pieces: ArraySlice<LayerRange>) -> (
        Observation.Cause, ObservationEvidence
    ) {
        let sizes = PieceSizes(pieces.lazy.map { Int(clipped($0.range, to: message.range).count) })
        let bytes = message.range.count
        switch layer {
        case .send:
            if pieces.contains(where: { $0.call?.rechunk == .split }) {
                return (.rechunk, .rechunked(.split, pieces: pieces.count))
            }
            if let short = pieces.first(where: { ($0.asked ?? 0) > $0.length }) {
                let shortSend = ObservationEvidence.ShortSend(time: short.time, accepted: short.length, asked: short.asked!)
                return (.partialSend, .splitOverSends(pieces: sizes, messageBytes: bytes, shortSend: shortSend))
            }
            return (.splitWrite, .splitOverSends(pieces: sizes, messageBytes: bytes, shortSend: nil))
        case .segment:
            return splitOverSegments(message: message, pieces: pieces, sizes: sizes)
        default:
            let limiting = pieces.first { piece in
                guard let asked = piece.asked else { return false }
                return asked <= piece.length && asked < bytes
            }?.asked
            let lastArrival = arrival(of: message.range.upperBound - 1)
            let evidence = ObservationEvidence.splitOverReads(
                pieces: sizes, messageBytes: bytes, limitingAsk: limiting, firstRead: pieces.first!.time,
                lastArrival: lastArrival, whatIf: timeline.recvIsWhatIf)
            if limiting != nil { return (.recvBuffer, evidence) }
            if let lastArrival, pieces.first!.time < lastArrival { return (.earlyReader, evidence) }
            return (.unexplained, evidence)
        }
    }

    private func splitOverSegments(message: MessageRange, pieces: ArraySlice<LayerRange>, sizes: PieceSizes) -> (
        Observation.Cause, ObservationEvidence
    ) {
        let bytes = message.range.count
        func evidence(_ segmentation: ObservationEvidence.Segmentation) -> ObservationEvidence {
            .splitOverSegments(pieces: sizes, messageBytes: bytes, segmentation: segmentation)
        }
        // The announced MSS counts no TCP options; a full segment carries the MSS less its options (40 at most).
        let largest = pieces.map(\.length).max() ?? 0
        if timeline.sawSuperSegments {
            if largest >= timeline.largestSegment { return (.mss, evidence(.reachedMSS(mss: timeline.largestSegment))) }
        } else if let mss = timeline.senderMSS, largest + 40 >= mss {
            return (.mss, evidence(.reachedMSS(mss: mss)))
        }
        if let limited = pieces.dropLast().first(where: windowLimited) {
            return (.window, evidence(.windowLimited(time: limited.time)))
        }
        if let first = pieces.first?.time, let last = pieces.last?.time,
            let zero = timeline.zeroWindowTimes.first(where: { $0 >= first && $0 <= last })
        {
            return (.window, evidence(.windowLimited(time: zero)))
        }
        guard timeline.sends != nil else { return (.unexplained, evidence(.unexplained(mss: timeline.senderMSS))) }
        let writers = RangeSearch.indexRange(overlapping: message.range, in: sends)
        if writers.count >= 2 { return (.splitWrite, evidence(.severalSends(count: writers.count))) }
        return (.unexplained, evidence(.oneSendSeveralSegments(mss: timeline.senderMSS)))
    }

    /// When byte `offset` arrived: its segment, or its send when nothing was captured.
    private func arrival(of offset: UInt64) -> Timestamp? {
        let source = timeline.segments != nil ? segments : sends
        return RangeSearch.index(holding: offset, in: source).map { source[$0].time }
    }

    // MARK: - Facts

    /// TCP facts inside `range`: retransmissions, out-of-order, capture gaps, zero windows, a reset.
    func facts(in range: Range<UInt64>) -> [TCPFact] {
        var facts: [TCPFact] = []
        let touching = (timeline.segments ?? []).filter { $0.range.overlaps(range) }
        let retransmitted = touching.filter { $0.marks.contains(.retransmission) }.count
        if retransmitted > 0 { facts.append(.retransmissions(retransmitted)) }
        let outOfOrder = touching.filter { $0.marks.contains(.outOfOrder) }.count
        if outOfOrder > 0 { facts.append(.outOfOrder(outOfOrder)) }
        for gap in timeline.gaps where gap.overlaps(range) { facts.append(.captureGap(gap)) }
        if let first = touching.first?.time, let last = touching.last?.time,
            timeline.zeroWindowTimes.contains(where: { $0 >= first && $0 <= last })
        {
            facts.append(.zeroWindow)
        }
        if timeline.sawSuperSegments && !touching.isEmpty { facts.append(.superSegments) }
        if let reset = timeline.resetTime { facts.append(.reset(time: reset, by: timeline.resetSide)) }
        return facts
    }

    // MARK: - Helpers

    private func windowLimited(_ segment: LayerRange) -> Bool {
        guard let edge = timeline.windowEdges.last(where: { $0.time <= segment.time }) else { return false }
        return edge.edge == segment.range.upperBound
    }

    private func clipped(_ range: Range<UInt64>, to bounds: Range<UInt64>) -> Range<UInt64> {
        max(range.lowerBound, bounds.lowerBound)..<min(range.upperBound, bounds.upperBound)
    }
}
