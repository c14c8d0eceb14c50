import SeamCore

/// Builds the records of one TCP connection for tests and fixtures, keeping each direction's sequence numbers:
/// handshake, data, retransmissions, out-of-order and overlapping segments, close.
///
/// ```swift
/// var conversation = TCPConversationBuilder(
///     client: Endpoint("10.0.0.1:40000")!, server: Endpoint("10.0.0.2:80")!, link: .linuxSLL2,
///     clientInitialSequence: 0xffff_fff0)            // wraps after 15 bytes
/// conversation.handshake()
/// conversation.send(Array("GET / HTTP/1.1\r\n\r\n".utf8), from: .clientToServer)
/// conversation.send(Array("HTTP/1.1 200 OK\r\n".utf8), from: .serverToClient)
/// conversation.segment(from: .clientToServer, offset: 4, Array("late".utf8))   // any range, any order
/// conversation.close()
/// let records = conversation.records                    // feed them to PacketDecoder
/// ```
///
/// Offsets are on the direction's byte axis (0 is the first byte after the SYN), as in Seam's model. Each record
/// is `interval` after the previous one.
public struct TCPConversationBuilder: Sendable {
    public var client: Endpoint
    public var server: Endpoint
    public var link: PacketBuilder.Link
    public var vlanTags: [UInt16]
    /// The TCP options of every segment after the handshake (timestamps, SACK blocks, …).
    public var dataOptions: TCPOptions
    public var window: UInt16
    /// Time of the next record, and the step between records.
    public var time: Timestamp
    public var interval: Int64
    /// The records built so far, numbered from 1.
    public private(set) var records: [PacketRecord] = []
    /// The frames of `records`, for writing a capture file.
    public var frames: [[UInt8]] { records.map { Array($0.data) } }

    private let initialSequence: (client: UInt32, server: UInt32)
    /// Bytes sent so far per direction (the next in-order offset).
    public private(set) var clientBytesSent = 0
    public private(set) var serverBytesSent = 0
    private var finSent = (client: false, server: false)

    public init(
        client: Endpoint, server: Endpoint, link: PacketBuilder.Link = .ethernet, vlanTags: [UInt16] = [],
        clientInitialSequence: UInt32 = 1000, serverInitialSequence: UInt32 = 5000,
        start: Timestamp = Timestamp(seconds: 1_700_000_000, nanoseconds: 0), interval: Int64 = 1_000_000,
        window: UInt16 = 65_535, dataOptions: TCPOptions = TCPOptions()
    ) {
        self.client = client
        self.server = server
        self.link = link
        self.vlanTags = vlanTags
        self.initialSequence = (clientInitialSequence, serverInitialSequence)
        self.time = start
        self.interval = interval
        self.window = window
        self.dataOptions = dataOptions
    }

    /// The sequence number of byte `offset` of `direction` (offset 0 is the byte after the SYN).
    public func sequenceNumber(_ direction: Direction, offset: Int) -> UInt32 {
        let initial = direction == .clientToServer ? initialSequence.client : initialSequence.server
        return initial &+ 1 &+ UInt32(truncatingIfNeeded: offset)
    }

    /// SYN, SYN-ACK, ACK with MSS, SACK-permitted and window scale.
    public mutating func handshake(maximumSegmentSize: UInt16 = 1460, windowScale: UInt8 = 7) {
        let synOptions = TCPOptions(
            maximumSegmentSize: maximumSegmentSize, windowScale: windowScale, sackPermitted: true)
        append(.clientToServer, seq: sequenceNumber(.clientToServer, offset: -1), ack: 0, flags: .syn, synOptions)
        append(
            .serverToClient, seq: sequenceNumber(.serverToClient, offset: -1),
            ack: sequenceNumber(.clientToServer, offset: 0), flags: [.syn, .ack], synOptions)
        append(
            .clientToServer, seq: sequenceNumber(.clientToServer, offset: 0),
            ack: sequenceNumber(.serverToClient, offset: 0), flags: .ack, dataOptions)
    }

    /// The next in-order bytes of `direction`, cut into segments of at most `segmentSize` bytes.
    public mutating func send(
        _ bytes: [UInt8], from direction: Direction, segmentSize: Int = 1448, flags: TCPFlags = [.ack, .psh]
    ) {
        var start = 0
        repeat {
            let end = min(start + max(segmentSize, 1), bytes.count)
            segment(from: direction, offset: bytesSent(direction), Array(bytes[start..<end]), flags: flags)
            start = end
        } while start < bytes.count
    }

    /// One segment carrying `bytes` at `offset` of `direction`'s axis, in any order (retransmission, overlap,
    /// out-of-order, gap). Advances the in-order position when it reaches past it. With ACK in `flags` it
    /// acknowledges the peer's in-order position; without, its acknowledgment field is 0.
    public mutating func segment(
        from direction: Direction, offset: Int, _ bytes: [UInt8], flags: TCPFlags = [.ack, .psh]
    ) {
        let peer = direction.reversed
        append(
            direction, seq: sequenceNumber(direction, offset: offset),
            ack: flags.contains(.ack) ? sequenceNumber(peer, offset: bytesSent(peer) + (finSent(peer) ? 1 : 0)) : 0,
            flags: flags, dataOptions, payload: bytes)
        let end = offset + bytes.count
        if bytes.isEmpty { return }
        if direction == .clientToServer {
            clientBytesSent = max(clientBytesSent, end)
        } else {
            serverBytesSent = max(serverBytesSent, end)
        }
    }

    /// FIN from the client, FIN-ACK from the server, last ACK.
    public mutating func close() {
        segment(from: .clientToServer, offset: clientBytesSent, [], flags: [.fin, .ack])
        finSent.client = true
        segment(from: .serverToClient, offset: serverBytesSent, [], flags: [.fin, .ack])
        finSent.server = true
        segment(from: .clientToServer, offset: clientBytesSent + 1, [], flags: .ack)
    }

    /// A reset from `direction` at its in-order position.
    public mutating func reset(from direction: Direction) {
        segment(from: direction, offset: bytesSent(direction), [], flags: [.rst, .ack])
    }

    private func bytesSent(_ direction: Direction) -> Int {
        direction == .clientToServer ? clientBytesSent : serverBytesSent
    }

    private func finSent(_ direction: Direction) -> Bool {
        direction == .clientToServer ? finSent.client : finSent.server
    }

    private mutating func append(
        _ direction: Direction, seq: UInt32, ack: UInt32, flags: TCPFlags, _ options: TCPOptions,
        payload: [UInt8] = []
    ) {
        let (from, to) = direction == .clientToServer ? (client, server) : (server, client)
        let frame = PacketBuilder.tcp(
            from: from, to: to, seq: seq, ack: ack, flags: flags, window: window, options: options, payload: payload,
            link: link, vlanTags: vlanTags)
        records.append(PacketBuilder.record(frame, link: link, at: time, frameNumber: records.count + 1))
        time = Timestamp(nanoseconds: time.nanoseconds + interval)
    }
}
