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
        var framer: MessageFramer?
        var messages: [MessageRange] = []
        var framingError: String?
        var firstBytes: [UInt8] = []
        var bytes: UInt64 = 0
        var datagramOffset: UInt64 = 0
    }

    final class FlowLayers {
        /// The flow's place in the flow table (and so in the report), from 0.
        let position: Int
        var directions = [DirectionState(), DirectionState()]
        var resetTime: Timestamp?
        var lastTime: Timestamp?

        init(position: Int) { self.position = position }
    }

    let framing: FramingSpec?
    private(set) var flows: [FlowID: FlowLayers] = [:]
    private var scratch: [FramedMessage] = []
    private var started = 0

    /// When set, each flow's layers are handed over as soon as its reassembly ends (`flowClosed`) and the
    /// collector forgets them: what it holds then follows the open flows, not the size of the file.
    /// Unset, it keeps every flow until the end.
    var onFlowClosed: ((FlowState, FlowLayers) -> Void)?
    /// A RST of a flow already handed over (it closed on both FINs first), with its time.
    var onLateReset: ((FlowState, Timestamp) -> Void)?

    init(framing: FramingSpec?) {
        self.framing = framing
    }

    static func side(_ direction: Direction) -> Int { direction == .clientToServer ? 0 : 1 }

    func flowStarted(_ flow: FlowState) {
        let layers = FlowLayers(position: started)
        started += 1
        if let framing, flow.proto == .tcp {
            layers.directions[0].framer = MessageFramer(spec: framing)
            layers.directions[1].framer = MessageFramer(spec: framing)
        }
        flows[flow.id] = layers
    }

    func tcpSegment(_ segment: TCPSegmentEvent, in flow: FlowState) {
        guard let layers = flows[flow.id] else {
            if segment.flags.contains(.rst) { onLateReset?(flow, segment.time) }
            return
        }
        let side = LayerCollector.side(segment.direction)
        if segment.length > 0, segment.offset >= 0 {
            let start = UInt64(segment.offset)
            layers.directions[side].segments.append(
                LayerRange(
                    range: start..<(start + UInt64(segment.length)), time: segment.time, frame: segment.frame,
                    marks: segment.marks))
        }
        // This packet's ACK and window bound what the other direction's sender may send.
        if let ack = segment.acknowledgedOffset, ack >= 0 {
            let edge = UInt64(ack) + segment.window
            if layers.directions[1 - side].windowEdges.last?.edge != edge {
                layers.directions[1 - side].windowEdges.append(.init(time: segment.time, edge: edge))
            }
        }
        if segment.marks.contains(.zeroWindow) { layers.directions[1 - side].zeroWindowTimes.append(segment.time) }
        if segment.flags.contains(.rst) && layers.resetTime == nil { layers.resetTime = segment.time }
        layers.lastTime = segment.time
    }

    func tcpData(_ bytes: ArraySlice<UInt8>, at offset: UInt64, direction: Direction, time: Timestamp, in flow: FlowState) {
        guard let layers = flows[flow.id] else { return }
        let side = LayerCollector.side(direction)
        layers.directions[side].bytes = offset + UInt64(bytes.count)
        if layers.directions[side].firstBytes.count < 64 {
            layers.directions[side].firstBytes += bytes.prefix(64 - layers.directions[side].firstBytes.count)
        }
        guard layers.directions[side].framer != nil else { return }
        scratch.removeAll(keepingCapacity: true)
        do {
            try layers.directions[side].framer!.feed(bytes, at: offset, into: &scratch)
        } catch {
            layers.directions[side].framingError = "\(error)"
        }
        append(scratch, time: time, to: layers, side: side)
    }

    func tcpGap(at offset: UInt64, length: UInt64, direction: Direction, time: Timestamp, in flow: FlowState) {
        guard let layers = flows[flow.id] else { return }
        let side = LayerCollector.side(direction)
        layers.directions[side].gaps.append(offset..<(offset + length))
        layers.directions[side].bytes = offset + length
        guard layers.directions[side].framer != nil else { return }
        scratch.removeAll(keepingCapacity: true)
        layers.directions[side].framer!.gap(length: length, into: &scratch)
        append(scratch, time: time, to: layers, side: side)
    }

    func udpDatagram(_ datagram: UDPDatagramEvent, payload: ArraySlice<UInt8>, in flow: FlowState) {
        guard let layers = flows[flow.id] else { return }
        let side = LayerCollector.side(datagram.direction)
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
        guard let layers = flows[flow.id] else { return }
        finishFraming(layers, flow: flow)
        if let onFlowClosed {
            flows[flow.id] = nil
            onFlowClosed(flow, layers)
        }
    }

    func flowEnded(_ flow: FlowState) {
        guard let layers = flows[flow.id] else { return }
        finishFraming(layers, flow: flow)
    }

    /// Frames what the framer still holds (a last message without its delimiter, a cut one); once per flow.
    private func finishFraming(_ layers: FlowLayers, flow: FlowState) {
        for side in 0..<2 where layers.directions[side].framer != nil {
            scratch.removeAll(keepingCapacity: true)
            do {
                try layers.directions[side].framer!.finish(into: &scratch)
            } catch {
                layers.directions[side].framingError = "\(error)"
            }
            append(scratch, time: layers.lastTime ?? flow.lastTime, to: layers, side: side)
            if let error = layers.directions[side].framer!.error { layers.directions[side].framingError = "\(error)" }
            layers.directions[side].framer = nil
        }
    }

    private func append(_ framed: [FramedMessage], time: Timestamp, to layers: FlowLayers, side: Int) {
        for message in framed {
            layers.directions[side].messages.append(
                MessageRange(range: message.range, isComplete: message.isComplete, summary: message.summary, time: time))
        }
    }
}
