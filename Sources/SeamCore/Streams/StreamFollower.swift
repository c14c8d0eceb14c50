/// Follows one flow for `seam inspect --stream` (Wireshark's Follow Stream): turns the flow table's calls into
/// `StreamChunk`s of the chosen directions, in the order they arrive, and hands each to `onChunk` at once.
///
/// TCP: one chunk per `tcpData` (the bytes one packet delivered, in order) and per `tcpGap` (a hole); the frame
/// is the packet that carried the bytes — for bytes held behind a hole, the one that arrived ahead with them.
/// UDP: one chunk per datagram, then a hole for the part of it the snaplen cut off.
public final class StreamFollower: StreamConsumer {
    public let flow: FlowID
    public let directions: FollowedDirections
    /// The followed flow's endpoints, once it started.
    public private(set) var followed: FollowedFlow?
    public private(set) var tally = StreamTally()

    private let onStart: (FollowedFlow) -> Void
    private let onChunk: (StreamChunk) -> Void
    /// The packet being dispatched (rule 2 of `StreamConsumer`: its `tcpSegment` comes before its data).
    private var current: (frame: Int, time: Timestamp)?
    /// Per direction, the frames of segments that arrived ahead of a hole, by the offset they start at.
    private var heldFrames: [Direction: [UInt64: Int]] = [:]
    private var datagramOffsets: [Direction: UInt64] = [:]

    public init(
        flow: FlowID,
        directions: FollowedDirections,
        onStart: @escaping (FollowedFlow) -> Void = { _ in },
        onChunk: @escaping (StreamChunk) -> Void
    ) {
        self.flow = flow
        self.directions = directions
        self.onStart = onStart
        self.onChunk = onChunk
    }

    public func flowStarted(_ flow: FlowState) {
        guard flow.id == self.flow else { return }
        let followed = FollowedFlow(flow)
        self.followed = followed
        onStart(followed)
    }

    public func tcpSegment(_ segment: TCPSegmentEvent, in flow: FlowState) {
        guard flow.id == self.flow else { return }
        current = (segment.frame, segment.time)
        if segment.marks.contains(.ahead) && segment.length > 0 && segment.offset >= 0 {
            heldFrames[segment.direction, default: [:]][UInt64(segment.offset)] = segment.frame
        }
    }

    public func tcpData(
        _ bytes: ArraySlice<UInt8>,
        at offset: UInt64,
        direction: Direction,
        time: Timestamp,
        in flow: FlowState
    ) {
        guard flow.id == self.flow, directions.contains(direction) else { return }
        var frame = heldFrames[direction]?.removeValue(forKey: offset)
        if frame == nil, let current, current.time == time { frame = current.frame }
        emit(StreamChunk(direction: direction, offset: offset, time: time, frame: frame, content: .bytes(Array(bytes))))
    }

    public func tcpGap(at offset: UInt64, length: UInt64, direction: Direction, time: Timestamp, in flow: FlowState) {
        guard flow.id == self.flow, directions.contains(direction) else { return }
        emit(StreamChunk(direction: direction, offset: offset, time: time, content: .missing(length)))
    }

    public func udpDatagram(_ datagram: UDPDatagramEvent, payload: ArraySlice<UInt8>, in flow: FlowState) {
        guard flow.id == self.flow, directions.contains(datagram.direction) else { return }
        let offset = datagramOffsets[datagram.direction, default: 0]
        datagramOffsets[datagram.direction] = offset + UInt64(datagram.length)
        emit(
            StreamChunk(
                direction: datagram.direction,
                offset: offset,
                time: datagram.time,
                frame: datagram.frame,
                datagram: datagram.index,
                content: .bytes(Array(payload))
            )
        )
        let cut = datagram.length - payload.count
        if cut > 0 {
            emit(
                StreamChunk(
                    direction: datagram.direction,
                    offset: offset + UInt64(payload.count),
                    time: datagram.time,
                    frame: datagram.frame,
                    datagram: datagram.index,
                    content: .missing(UInt64(cut))
                )
            )
        }
    }

    private func emit(_ chunk: StreamChunk) {
        tally.add(chunk)
        onChunk(chunk)
    }
}
