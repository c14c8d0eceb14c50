/// Collects, while the capture is read, what the analyzer keeps of each flow: segment and datagram ranges
/// (not payload), capture gaps, the receiver's window edges, and the messages a framing cuts from the
/// reassembled bytes. Bounded per flow: ranges are kept, bytes are not (the framer holds only a partial header).
final class LayerCollector: StreamConsumer {
    /// What is kept of one direction.
    struct DirectionState {
        var segments: [LayerRange] = []
        var gaps: [Range<UInt64>] = []
        var windowEdges: [DirectionTimeline.WindowEdge] = []
        var zeroWindowTimes: [Timestamp] = []
        var framer: DirectionFramer?
        var messages: [MessageRange] = []
        var firstBytes: [UInt8] = []
        var bytes: UInt64 = 0
        /// Whether the framer has been told the stream ended.
        var framingFinished = false
        var datagramOffset: UInt64 = 0
        /// Where this direction's FIN put the end of its bytes, and when its sender sent it.
        var finOffset: UInt64?
        var finTime: Timestamp?
        /// When this direction's sender sent a RST.
        var resetTime: Timestamp?
        /// The highest offset the receiver acknowledged.
        var acknowledged: UInt64?
        /// The largest segment of this direction.
        var largestSegment = 0
        /// The receive window the receiver of this direction advertised: the largest, and the last before any RST
        /// (a window that shrank and never reopened is data the receiver's program never read).
        var receiverWindowMax: UInt64 = 0
        var receiverWindowLast: UInt64?
    }

    final class FlowLayers {
        /// The flow's place in the flow table (and so in the report), from 0.
        let position: Int
        var directions = DirectionPair(repeating: DirectionState())
        var resetTime: Timestamp?
        /// The side that sent the first RST.
        var resetSide: Side?
        var lastTime: Timestamp?

        init(position: Int) { self.position = position }

        /// Whether a FIN came past bytes not yet seen: their retransmission may still come.
        var isMissingBytesBeforeFIN: Bool {
            directions.both.contains { direction in direction.finOffset.map { $0 > direction.bytes } ?? false }
        }
    }

    let framing: FramingRequest
    let detectsUnframed: Bool
    private(set) var flows: [FlowID: FlowLayers] = [:]
    private var scratch: [FramedMessage] = []
    private var started = 0

    /// When set, each flow's layers are handed over once it has closed (both FINs, or a RST) and then been
    /// quiet for `quietTime` of capture time, or when it ends (a reused 4-tuple, the end of the capture); the
    /// collector forgets them then, so what it holds follows the open flows, not the size of the file.
    /// Unset, it keeps every flow until the end.
    var onFlowClosed: ((FlowState, FlowLayers) -> Void)?
    /// A RST of a flow already handed over, with its time and the side that sent it.
    var onLateReset: ((FlowState, Timestamp, Side) -> Void)?
    /// Segments with payload that came for a flow already handed over (it had closed and gone quiet), and
    /// the new bytes among them (the rest were retransmissions): not in the report.
    private(set) var lateSegments = 0
    private(set) var lateBytes: UInt64 = 0
    /// Packets keep coming after a close: the peer's data in flight past a RST (within a round trip), a
    /// retransmitted FIN. A quarter second is many round trips on a LAN and at least one on most paths, and
    /// keeps what waits small (a 1000-connection loopback capture closes a flow every millisecond).
    static let quietTime: Int64 = 250_000_000
    /// A flow whose FIN came past bytes the capture has not seen waits for their retransmission (the
    /// sender's timer backs off 1, 2, 4, 8 s…) this long.
    static let holeQuietTime: Int64 = 30_000_000_000

    /// Closed flows not yet handed over, oldest first: those waiting `quietTime`, and those waiting for bytes
    /// missing before a FIN (`holeQuietTime`), kept apart so a long wait never holds up the short ones.
    private var closing = ClosingQueue()
    private var closingWithHole = ClosingQueue()

    init(framing: FramingRequest, detectsUnframed: Bool) {
        self.framing = framing
        self.detectsUnframed = detectsUnframed
    }

    func flowStarted(_ flow: FlowState) {
        let layers = FlowLayers(position: started)
        started += 1
        if flow.proto == .tcp {
            for direction in Direction.allCases {
                layers.directions[direction].framer = DirectionFramer(
                    choice: framing[direction], detectsUnframed: detectsUnframed, direction: direction,
                    seesStreamStart: !flow.clientIsGuessed)
            }
        }
        flows[flow.id] = layers
    }

    func tcpSegment(_ segment: TCPSegmentEvent, in flow: FlowState) {
        if !closing.isEmpty || !closingWithHole.isEmpty { handOverQuietFlows(now: segment.time) }
        guard let layers = flows[flow.id] else {
            if segment.flags.contains(.rst) { onLateReset?(flow, segment.time, segment.direction.sender) }
            if segment.length > 0 { lateSegments += 1 }
            return
        }
        let side = segment.direction
        // Each direction's state is changed in place (one access each): reading a field through the pair's
        // getter copied the whole state, arrays and framer, per packet.
        Self.noteSent(segment, in: &layers.directions[side])
        Self.noteAcknowledgment(segment, in: &layers.directions[side.reversed])
        if segment.flags.contains(.rst) && layers.resetTime == nil {
            layers.resetTime = segment.time
            layers.resetSide = segment.direction.sender
        }
        layers.lastTime = segment.time
    }

    /// What one segment says of its sender's direction.
    private static func noteSent(_ segment: TCPSegmentEvent, in state: inout DirectionState) {
        if segment.length > 0, segment.offset >= 0 {
            let start = UInt64(segment.offset)
            state.segments.append(
                LayerRange(
                    range: start..<(start + UInt64(segment.length)), time: segment.time, frame: segment.frame,
                    marks: segment.marks))
            if !segment.marks.contains(.retransmission) {
                state.largestSegment = max(state.largestSegment, segment.length)
            }
        }
        if segment.flags.contains(.rst), state.resetTime == nil { state.resetTime = segment.time }
        if segment.flags.contains(.fin), segment.offset >= 0 {
            state.finOffset = UInt64(segment.offset) + UInt64(segment.length)
            if state.finTime == nil { state.finTime = segment.time }
        }
    }

    /// What one segment's ACK and window say of the other direction: they bound what its sender may send.
    private static func noteAcknowledgment(_ segment: TCPSegmentEvent, in state: inout DirectionState) {
        if let ack = segment.acknowledgedOffset, ack >= 0 {
            let edge = UInt64(ack) + segment.window
            if state.windowEdges.last?.edge != edge {
                state.windowEdges.append(.init(time: segment.time, edge: edge))
            }
            state.acknowledged = max(state.acknowledged ?? 0, UInt64(ack))
        }
        if segment.marks.contains(.zeroWindow) { state.zeroWindowTimes.append(segment.time) }
        if !segment.flags.contains(.rst) && !segment.flags.contains(.syn) && segment.acknowledgedOffset != nil {
            state.receiverWindowMax = max(state.receiverWindowMax, segment.window)
            state.receiverWindowLast = segment.window
        }
    }

    func tcpData(_ bytes: ArraySlice<UInt8>, at offset: UInt64, direction: Direction, time: Timestamp, in flow: FlowState) {
        guard let layers = flows[flow.id] else {
            lateBytes += UInt64(bytes.count)
            return
        }
        scratch.removeAll(keepingCapacity: true)
        guard Self.take(bytes, at: offset, into: &layers.directions[direction], messages: &scratch) else { return }
        appendBacklog(of: layers, side: direction)
        append(scratch, time: time, to: layers, side: direction)
    }

    /// Notes the bytes and feeds them to the direction's framer, if it has one (returns whether it has).
    private static func take(
        _ bytes: ArraySlice<UInt8>, at offset: UInt64, into state: inout DirectionState,
        messages: inout [FramedMessage]
    ) -> Bool {
        state.bytes = offset + UInt64(bytes.count)
        if state.firstBytes.count < 64 { state.firstBytes += bytes.prefix(64 - state.firstBytes.count) }
        guard state.framer != nil else { return false }
        state.framer!.feed(bytes, at: offset, into: &messages)
        return true
    }

    func tcpGap(at offset: UInt64, length: UInt64, direction: Direction, time: Timestamp, in flow: FlowState) {
        guard let layers = flows[flow.id] else {
            lateBytes += length
            return
        }
        let side = direction
        layers.directions[side].gaps.append(offset..<(offset + length))
        layers.directions[side].bytes = offset + length
        guard layers.directions[side].framer != nil else { return }
        scratch.removeAll(keepingCapacity: true)
        layers.directions[side].framer!.gap(length: length, into: &scratch)
        appendBacklog(of: layers, side: side)
        append(scratch, time: time, to: layers, side: side)
    }

    func udpDatagram(_ datagram: UDPDatagramEvent, payload: ArraySlice<UInt8>, in flow: FlowState) {
        if !closing.isEmpty || !closingWithHole.isEmpty { handOverQuietFlows(now: datagram.time) }
        guard let layers = flows[flow.id] else { return }
        let side = datagram.direction
        let start = layers.directions[side].datagramOffset
        let end = start + UInt64(datagram.length)
        layers.directions[side].segments.append(
            LayerRange(
                range: start..<end, time: datagram.time, frame: datagram.frame,
                payloadHash: datagram.capturedLength == datagram.length ? payloadHash(payload) : 0))
        layers.directions[side].datagramOffset = end
        layers.directions[side].bytes = end
        if layers.directions[side].firstBytes.isEmpty { layers.directions[side].firstBytes = Array(payload.prefix(64)) }
        layers.lastTime = datagram.time
    }

    func flowClosed(_ flow: FlowState) {
        guard onFlowClosed != nil, flows[flow.id] != nil else { return }
        closing.append(flow)
    }

    func flowEnded(_ flow: FlowState) {
        guard let layers = flows[flow.id] else { return }
        finishFraming(layers, flow: flow)
        handOver(flow, layers)
    }

    /// Hands over the closed flows that have been quiet long enough at `now`.
    private func handOverQuietFlows(now: Timestamp) {
        drain(&closing, now: now, isHoleQueue: false)
        drain(&closingWithHole, now: now, isHoleQueue: true)
    }

    /// Hands over the flows at the front of `queue` that have been quiet long enough, and stops at the first
    /// that has not (the rest closed later). A flow seen since it was queued goes to the back with its new
    /// time; in the short queue, one found waiting for bytes missing before a FIN moves to the hole queue.
    private func drain(_ queue: inout ClosingQueue, now: Timestamp, isHoleQueue: Bool) {
        while let (flow, queuedTime) = queue.first {
            guard let layers = flows[flow.id] else {
                queue.removeFirst()
                continue
            }
            let isMissingBytes = layers.isMissingBytesBeforeFIN
            if isMissingBytes && !isHoleQueue {
                queue.removeFirst()
                closingWithHole.append(flow)
            } else if flow.lastTime.nanoseconds + (isMissingBytes ? Self.holeQuietTime : Self.quietTime)
                <= now.nanoseconds
            {
                queue.removeFirst()
                finishFraming(layers, flow: flow)
                handOver(flow, layers)
            } else if flow.lastTime > queuedTime {
                queue.removeFirst()
                queue.append(flow)
            } else {
                break
            }
        }
    }

    private func handOver(_ flow: FlowState, _ layers: FlowLayers) {
        guard let onFlowClosed else { return }
        flows[flow.id] = nil
        onFlowClosed(flow, layers)
    }

    /// Frames what the framer still holds (a last message without its delimiter, a cut one); once per flow.
    private func finishFraming(_ layers: FlowLayers, flow: FlowState) {
        for side in Direction.allCases where layers.directions[side].framer != nil {
            guard !layers.directions[side].framingFinished else { continue }
            layers.directions[side].framingFinished = true
            scratch.removeAll(keepingCapacity: true)
            layers.directions[side].framer!.finish(into: &scratch)
            appendBacklog(of: layers, side: side)
            append(scratch, time: layers.lastTime ?? flow.lastTime, to: layers, side: side)
            let framer = layers.directions[side].framer!
            if framer.misfitNote != nil || framer.isUndecided { layers.directions[side].messages = [] }
        }
    }

    /// Messages a detector found before it decided: each gets the time of the segment that brought its last
    /// byte (the segments are in arrival order; the first that reaches the message's end brought it).
    private func appendBacklog(of layers: FlowLayers, side: Direction) {
        let backlog = layers.directions[side].framer!.takeBacklog()
        guard !backlog.isEmpty else { return }
        let segments = layers.directions[side].segments
        var reached: [(end: UInt64, time: Timestamp)] = []
        var furthest: UInt64 = 0
        for segment in segments where segment.range.upperBound > furthest {
            furthest = segment.range.upperBound
            reached.append((furthest, segment.time))
        }
        var index = 0
        for message in backlog {
            while index < reached.count - 1 && reached[index].end < message.range.upperBound { index += 1 }
            layers.directions[side].messages.append(
                MessageRange(message, time: reached.isEmpty ? layers.lastTime : reached[index].time))
        }
    }

    private func append(_ framed: [FramedMessage], time: Timestamp, to layers: FlowLayers, side: Direction) {
        guard !framed.isEmpty else { return }
        layers.directions[side].messages.append(contentsOf: framed.lazy.map { MessageRange($0, time: time) })
    }
}

/// Closed flows in the order they were queued, each with its last packet time then; a head index instead of
/// removing from the front, compacted now and then.
private struct ClosingQueue {
    private var entries: [(flow: FlowState, queuedTime: Timestamp)] = []
    private var head = 0

    var isEmpty: Bool { head == entries.count }
    var first: (flow: FlowState, queuedTime: Timestamp)? { isEmpty ? nil : entries[head] }

    mutating func append(_ flow: FlowState) { entries.append((flow, flow.lastTime)) }

    mutating func removeFirst() {
        head += 1
        if head > 1024 && head * 2 > entries.count {
            entries.removeFirst(head)
            head = 0
        }
    }
}
