/// Counters of one direction of a flow.
public struct DirectionStatistics: Hashable, Sendable, Codable {
    public var packets = 0
    /// Payload bytes the headers claim (what the sender sent, retransmissions included).
    public var payloadBytes: UInt64 = 0
    /// Bytes reassembled onto the axis, each once (TCP), or datagram payload captured (UDP).
    public var streamBytes: UInt64 = 0
    public var retransmissions = 0
    public var outOfOrder = 0
    /// Segments that arrived ahead of bytes the capture never held.
    public var ahead = 0
    public var conflicts = 0
    public var zeroWindows = 0
    /// Holes in the direction's bytes (`tcpGap` events): bytes the capture never held that the peer acknowledged
    /// (Follow TCP Stream's "[N bytes missing in capture file]") or that the snaplen cut off a segment.
    public var gaps = 0
    public var gapBytes: UInt64 = 0
    /// Bytes held behind a hole that no acknowledgment has released: while the flow runs, what is waiting; once
    /// it ended (`flowEnded`), what was never delivered. Follow TCP Stream does not show them either. An
    /// acknowledgment after the close still releases them (a gap, then the bytes), as in Follow TCP Stream.
    public var undeliveredBytes: UInt64 = 0
    /// Segments of this direction that were *super-segments*: TCP payload larger than the MSS the receiver
    /// announced in its SYN, or an IP length only offloaded packets have (IPv4 total length 0, an IPv6
    /// jumbogram: Linux BIG TCP above 64 KiB). Such a capture saw the kernel's buffers before segmentation
    /// (TSO/GSO on the sending host) or after coalescing (GRO/LRO on the receiving host), not the segments on
    /// the wire, so a segment's size says nothing about the MSS. Without the receiver's SYN only the BIG TCP
    /// forms are counted. See `FlowState.sawSuperSegments(_:)` and `TCPSegmentMarks.superSegment`.
    public var superSegments = 0
    /// The largest payload one segment of this direction claimed, in bytes.
    public var largestSegment = 0
    public var sawSYN = false
    public var sawFIN = false
    public var sawRST = false
    /// MSS and window scale from this side's SYN.
    public var maximumSegmentSize: Int?
    public var windowScale: Int?

    public init() {}
}

/// Everything Seam knows about one TCP or UDP flow. The flow table owns it and updates it as packets arrive;
/// consumers read it. Reassembly state is released when the flow ends; the counters stay.
/// Hot stored properties are `@exclusivity(unchecked)`: only the flow table on one thread mutates a flow,
/// and no callback runs inside a mutation of them, so the runtime exclusivity checks only cost time (with
/// the other classes' checks, a fifth of a scan's instructions).
public final class FlowState {
    public let id: FlowID
    /// The side that opened the flow: the SYN's sender. Without a SYN in the first packet, a guess (see
    /// `clientIsGuessed`): the side with the higher port, as ephemeral ports are high.
    public let client: Endpoint
    public let server: Endpoint
    /// Whether client and server were guessed (the flow's first packet was not a SYN).
    public let clientIsGuessed: Bool
    public internal(set) var firstTime: Timestamp
    @exclusivity(unchecked) public internal(set) var lastTime: Timestamp
    @exclusivity(unchecked) public internal(set) var clientToServer = DirectionStatistics()
    @exclusivity(unchecked) public internal(set) var serverToClient = DirectionStatistics()
    /// Packets of this flow whose headers could not be decoded fully.
    public internal(set) var malformedPackets = 0
    @exclusivity(unchecked) public internal(set) var isClosed = false

    @exclusivity(unchecked) var reassemblers = [TCPReassembler(), TCPReassembler()]
    /// Per direction, the sequence number Wireshark calls `base_seq`: the SYN's, or one before the first seen.
    @exclusivity(unchecked) var baseSequences: [UInt32?] = [nil, nil]
    @exclusivity(unchecked) var datagramCounts = [0, 0]

    init(id: FlowID, client: Endpoint, server: Endpoint, clientIsGuessed: Bool, time: Timestamp) {
        self.id = id
        self.client = client
        self.server = server
        self.clientIsGuessed = clientIsGuessed
        self.firstTime = time
        self.lastTime = time
    }

    public var proto: Transport { id.proto }

    /// A copy of the flow's identity, times and counters as they are now, without its reassembly state: what
    /// another thread may read while the flow table goes on changing this one.
    func snapshot() -> FlowState {
        let copy = FlowState(id: id, client: client, server: server, clientIsGuessed: clientIsGuessed, time: firstTime)
        copy.lastTime = lastTime
        copy.clientToServer = clientToServer
        copy.serverToClient = serverToClient
        copy.malformedPackets = malformedPackets
        copy.isClosed = isClosed
        copy.baseSequences = baseSequences
        copy.datagramCounts = datagramCounts
        return copy
    }

    /// The direction of a packet sent from `source`.
    public func direction(from source: Endpoint) -> Direction {
        source == client ? .clientToServer : .serverToClient
    }

    public func statistics(_ direction: Direction) -> DirectionStatistics {
        direction == .clientToServer ? clientToServer : serverToClient
    }

    func updateStatistics(_ direction: Direction, _ change: (inout DirectionStatistics) -> Void) {
        if direction == .clientToServer { change(&clientToServer) } else { change(&serverToClient) }
    }

    func setStatistics(_ statistics: DirectionStatistics, _ direction: Direction) {
        if direction == .clientToServer { clientToServer = statistics } else { serverToClient = statistics }
    }

    /// Copies each direction's reassembly counters (stream bytes, gaps, undelivered bytes) into its statistics,
    /// reading the reassemblers in place rather than copying them.
    func copyReassemblyCounters() {
        clientToServer.streamBytes = reassemblers[0].deliveredBytes
        clientToServer.gaps = reassemblers[0].gapCount
        clientToServer.gapBytes = reassemblers[0].gapBytes
        clientToServer.undeliveredBytes = UInt64(reassemblers[0].undeliveredBytes)
        serverToClient.streamBytes = reassemblers[1].deliveredBytes
        serverToClient.gaps = reassemblers[1].gapCount
        serverToClient.gapBytes = reassemblers[1].gapBytes
        serverToClient.undeliveredBytes = UInt64(reassemblers[1].undeliveredBytes)
    }

    /// Window scale applies only when both SYNs carried the option (RFC 7323 §2.2).
    func windowShift(for direction: Direction) -> Int {
        guard let mine = statistics(direction).windowScale, statistics(direction.reversed).windowScale != nil
        else { return 0 }
        return min(mine, 14)
    }

    /// Whether the capture saw super-segments in `direction` (see `DirectionStatistics.superSegments`): its
    /// segment sizes are the sender's (or receiver's) offload buffers, so they cannot show that the MSS split a
    /// message.
    public func sawSuperSegments(_ direction: Direction) -> Bool { statistics(direction).superSegments > 0 }

    /// Total packets both ways.
    public var packets: Int { clientToServer.packets + serverToClient.packets }
}
