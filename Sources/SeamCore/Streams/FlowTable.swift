/// Sorts decoded packets into flows, numbers them like Wireshark, reassembles TCP and hands everything to
/// its consumers.
///
/// Numbering follows Wireshark's `tcp.stream` and `udp.stream`: flows are numbered in order of first
/// appearance, TCP and UDP separately. A SYN (without ACK) on a known 4-tuple whose sequence number differs
/// from that direction's base starts a new TCP flow (port reuse), as in Wireshark.
/// Hot stored properties are `@exclusivity(unchecked)`: a table is driven by one thread, and no callback
/// (consumers included) runs inside a mutation of them, so the runtime exclusivity checks only cost time
/// (with the other classes' checks, a fifth of a scan's instructions).
public final class FlowTable {
    @exclusivity(unchecked) public private(set) var flows: [FlowState] = []
    @exclusivity(unchecked) public private(set) var tcpFlowCount = 0
    public private(set) var udpFlowCount = 0
    /// Packets that were not TCP/UDP over IP, by reason, for the summary.
    public private(set) var notIPPackets = 0
    public private(set) var otherIPPackets = 0
    public private(set) var heldFragments = 0
    public private(set) var unsupportedLinkTypes: [LinkType: Int] = [:]
    public private(set) var malformed: [String: Int] = [:]

    /// The flow each 4-tuple currently maps to (index into `flows`).
    @exclusivity(unchecked) private var current: [FlowKey: Int] = [:]
    private var indexByID: [FlowID: Int] = [:]
    @exclusivity(unchecked) private var consumers: [StreamConsumer]
    @exclusivity(unchecked) private var pending: [(Direction, TCPReassembler.Delivery)] = []

    /// Whether a flow between these endpoints (either orientation) has been seen.
    func hasFlow(_ a: Endpoint, _ b: Endpoint, _ proto: Transport) -> Bool {
        current[FlowKey(a, b, proto: proto)] != nil
    }

    public init(consumers: [StreamConsumer] = []) {
        self.consumers = consumers
    }

    public func add(_ consumer: StreamConsumer) { consumers.append(consumer) }

    /// The flow with this id, if the capture had it.
    public func flow(_ id: FlowID) -> FlowState? {
        guard let index = indexByID[id] else { return nil }
        return flows[index]
    }

    /// Takes what the decoder made of one record.
    public func process(_ outcome: DecodeOutcome, record: PacketRecord) {
        switch outcome {
        case .packet(let packet):
            switch packet.transport {
            case .tcp(let header):
                processTCP(packet, header, record)
            case .udp(let header):
                processUDP(packet, header, record)
            case .other:
                otherIPPackets += 1
            }
        case .fragmentHeld:
            heldFragments += 1
        case .notIP:
            notIPPackets += 1
        case .unsupportedLinkType(let type):
            unsupportedLinkTypes[type, default: 0] += 1
        case .malformed(let problem):
            malformed[problem.description, default: 0] += 1
            if let source = problem.source, let destination = problem.destination {
                let proto: Transport = problem.layer == .udp ? .udp : .tcp
                if let index = current[FlowKey(source, destination, proto: proto)] {
                    flows[index].malformedPackets += 1
                }
            }
        }
    }

    /// The capture ended: every flow still open ends now.
    public func finish() {
        for index in current.values {
            let flow = flows[index]
            if !flow.isClosed { end(flow) }
        }
        for index in current.values.sorted() {
            for consumer in consumers { consumer.flowEnded(flows[index]) }
        }
        current.removeAll()
    }

    // MARK: - TCP

    private func processTCP(_ packet: DecodedPacket, _ header: TCPHeader, _ record: PacketRecord) {
        let source = Endpoint(address: packet.source, port: header.sourcePort)
        let destination = Endpoint(address: packet.destination, port: header.destinationPort)
        let key = FlowKey(source, destination, proto: .tcp)
        let isSYN = header.flags.contains(.syn) && !header.flags.contains(.ack)
        var flow: FlowState
        if let index = current[key] {
            flow = flows[index]
            let side = flow.direction(from: source) == .clientToServer ? 0 : 1
            if isSYN, let base = flow.baseSequences[side], base != header.sequenceNumber {
                flow = startFlow(key: key, source: source, destination: destination, flags: header.flags, record)
            }
        } else {
            flow = startFlow(key: key, source: source, destination: destination, flags: header.flags, record)
        }
        flow.lastTime = max(flow.lastTime, record.timestamp)
        let direction = flow.direction(from: source)
        let side = direction == .clientToServer ? 0 : 1
        let other = 1 - side
        if flow.baseSequences[side] == nil {
            flow.baseSequences[side] = header.flags.contains(.syn) ? header.sequenceNumber : header.sequenceNumber &- 1
        }

        // An acknowledgment can release kept data of the other direction past a hole the capture missed.
        if header.flags.contains(.ack) {
            flow.reassemblers[other].acknowledged(upTo: header.acknowledgmentNumber, time: record.timestamp) {
                pending.append((direction.reversed, $0))
            }
        }

        let claimed = max(0, packet.payloadLength)
        let sequence = header.flags.contains(.syn) ? header.sequenceNumber &+ 1 : header.sequenceNumber
        var (offset, marks) = flow.reassemblers[side].receive(
            sequence: sequence, payload: packet.payload.prefix(claimed), claimedLength: claimed,
            time: record.timestamp
        ) { pending.append((direction, $0)) }
        if header.window == 0 && header.flags.isDisjoint(with: [.syn, .fin, .rst]) { marks.insert(.zeroWindow) }

        // A copy changed and stored back, not a closure over the class's property: this runs per packet.
        var stats = flow.statistics(direction)
        stats.packets += 1
        stats.payloadBytes += UInt64(claimed)
        if !marks.isEmpty {
            if marks.contains(.retransmission) { stats.retransmissions += 1 }
            if marks.contains(.outOfOrder) { stats.outOfOrder += 1 }
            if marks.contains(.ahead) { stats.ahead += 1 }
            if marks.contains(.conflict) { stats.conflicts += 1 }
            if marks.contains(.zeroWindow) { stats.zeroWindows += 1 }
        }
        if header.flags.contains(.syn) {
            stats.sawSYN = true
            if let mss = header.options.maximumSegmentSize { stats.maximumSegmentSize = Int(mss) }
            if let scale = header.options.windowScale { stats.windowScale = Int(scale) }
        }
        if header.flags.contains(.fin) { stats.sawFIN = true }
        if header.flags.contains(.rst) { stats.sawRST = true }
        flow.setStatistics(stats, direction)
        let shift = header.flags.contains(.syn) ? 0 : flow.windowShift(for: direction)
        let event = TCPSegmentEvent(
            frame: record.frameNumber, time: record.timestamp, direction: direction, flags: header.flags,
            sequenceNumber: header.sequenceNumber, offset: offset, length: claimed,
            capturedLength: min(claimed, packet.payload.count), window: UInt64(header.window) << UInt64(shift),
            acknowledgedOffset: header.flags.contains(.ack)
                ? flow.reassemblers[other].offset(of: header.acknowledgmentNumber) : nil,
            marks: marks
        )
        for consumer in consumers { consumer.tcpSegment(event, in: flow) }
        dispatchPending(flow)
        updateCounters(flow)

        if !flow.isClosed && (header.flags.contains(.rst) || (flow.clientToServer.sawFIN && flow.serverToClient.sawFIN)) {
            end(flow)
        }
    }

    private func startFlow(
        key: FlowKey, source: Endpoint, destination: Endpoint, flags: TCPFlags, _ record: PacketRecord
    ) -> FlowState {
        let (client, server, guessed): (Endpoint, Endpoint, Bool)
        if flags.contains(.syn) {
            (client, server, guessed) = flags.contains(.ack) ? (destination, source, false) : (source, destination, false)
        } else {
            (client, server, guessed) =
                source.port >= destination.port ? (source, destination, true) : (destination, source, true)
        }
        let flow = FlowState(
            id: FlowID(proto: .tcp, index: tcpFlowCount), client: client, server: server, clientIsGuessed: guessed,
            time: record.timestamp)
        tcpFlowCount += 1
        register(flow, key: key)
        return flow
    }

    private func dispatchPending(_ flow: FlowState) {
        guard !pending.isEmpty else { return }
        for (direction, delivery) in pending {
            switch delivery {
            case .data(let bytes, let offset, let time):
                for consumer in consumers {
                    consumer.tcpData(bytes, at: offset, direction: direction, time: time, in: flow)
                }
            case .gap(let offset, let length, let time):
                for consumer in consumers {
                    consumer.tcpGap(at: offset, length: length, direction: direction, time: time, in: flow)
                }
            }
        }
        pending.removeAll(keepingCapacity: true)
    }

    private func updateCounters(_ flow: FlowState) {
        flow.copyReassemblyCounters()
    }

    /// Releases a flow's reassembly memory; it keeps its number until a new SYN reuses the 4-tuple.
    private func end(_ flow: FlowState) {
        if flow.proto == .tcp { updateCounters(flow) }
        flow.reassemblers[0].finish()
        flow.reassemblers[1].finish()
        flow.isClosed = true
        for consumer in consumers { consumer.flowClosed(flow) }
    }

    private func register(_ flow: FlowState, key: FlowKey) {
        if let previous = current[key] {
            // The 4-tuple is reused: the earlier flow can receive nothing more.
            if !flows[previous].isClosed { end(flows[previous]) }
            for consumer in consumers { consumer.flowEnded(flows[previous]) }
        }
        current[key] = flows.count
        indexByID[flow.id] = flows.count
        flows.append(flow)
        for consumer in consumers { consumer.flowStarted(flow) }
    }

    // MARK: - UDP

    private func processUDP(_ packet: DecodedPacket, _ header: UDPHeader, _ record: PacketRecord) {
        let source = Endpoint(address: packet.source, port: header.sourcePort)
        let destination = Endpoint(address: packet.destination, port: header.destinationPort)
        let key = FlowKey(source, destination, proto: .udp)
        let flow: FlowState
        if let index = current[key] {
            flow = flows[index]
        } else {
            let (client, server) = (source, destination)
            flow = FlowState(
                id: FlowID(proto: .udp, index: udpFlowCount), client: client, server: server, clientIsGuessed: false,
                time: record.timestamp)
            udpFlowCount += 1
            register(flow, key: key)
        }
        flow.lastTime = max(flow.lastTime, record.timestamp)
        let direction = flow.direction(from: source)
        let side = direction == .clientToServer ? 0 : 1
        let index = flow.datagramCounts[side]
        flow.datagramCounts[side] += 1
        let captured = min(packet.payload.count, packet.payloadLength)
        flow.updateStatistics(direction) { stats in
            stats.packets += 1
            stats.payloadBytes += UInt64(packet.payloadLength)
            stats.streamBytes += UInt64(captured)
        }
        let event = UDPDatagramEvent(
            frame: record.frameNumber, time: record.timestamp, direction: direction, index: index,
            length: packet.payloadLength, capturedLength: captured)
        let payload = packet.payload.prefix(captured)
        for consumer in consumers { consumer.udpDatagram(event, payload: payload, in: flow) }
    }
}
