/// What the flow table tells whoever consumes reassembled streams (`seam inspect`, the analyzer, a raw
/// writer). The table knows nothing of its consumers; they see only this protocol (gopacket's `Stream`).
///
/// Call order, for every flow:
/// 1. `flowStarted` once, before anything else of that flow.
/// 2. For each TCP packet, `tcpSegment` first, then the `tcpData` / `tcpGap` calls that packet caused
///    (one packet can release earlier out-of-order data, and an ACK in one direction can release a gap in
///    the other).
/// 3. Per direction, `tcpData` and `tcpGap` ranges are contiguous and ascending from offset 0: each one
///    starts where the previous ended. A gap is bytes the capture never held.
/// 4. `flowClosed` once, when the flow is closed: both FINs seen, a RST, a new flow taking over its 4-tuple,
///    or the capture's end. Packets may still follow, with data, until `flowEnded`, as Wireshark's Follow TCP
///    Stream shows them: the peer's segments in flight past a RST, a retransmission that fills a hole, and an
///    acknowledgment after the close that releases bytes held behind a hole the capture missed (a `tcpGap` for
///    the hole, then the held bytes, in the order of rule 3).
/// 5. `flowEnded` once, last: when a new flow takes over its 4-tuple, or when the capture ends (in flow order).
///    Bytes still held behind a hole then were never acknowledged; they are not delivered (Follow TCP Stream
///    does not show them either) and stay counted in `DirectionStatistics.undeliveredBytes`.
///
/// The `bytes` slices are valid for the call; they may point into the reader's buffer, so copy what you
/// keep.
public protocol StreamConsumer: AnyObject {
    func flowStarted(_ flow: FlowState)
    func tcpSegment(_ segment: TCPSegmentEvent, in flow: FlowState)
    func tcpData(_ bytes: ArraySlice<UInt8>, at offset: UInt64, direction: Direction, time: Timestamp, in flow: FlowState)
    func tcpGap(at offset: UInt64, length: UInt64, direction: Direction, time: Timestamp, in flow: FlowState)
    func udpDatagram(_ datagram: UDPDatagramEvent, payload: ArraySlice<UInt8>, in flow: FlowState)
    func flowClosed(_ flow: FlowState)
    func flowEnded(_ flow: FlowState)
}

extension StreamConsumer {
    public func flowStarted(_ flow: FlowState) {}
    public func tcpSegment(_ segment: TCPSegmentEvent, in flow: FlowState) {}
    public func tcpData(
        _ bytes: ArraySlice<UInt8>, at offset: UInt64, direction: Direction, time: Timestamp, in flow: FlowState
    ) {}
    public func tcpGap(at offset: UInt64, length: UInt64, direction: Direction, time: Timestamp, in flow: FlowState) {}
    public func udpDatagram(_ datagram: UDPDatagramEvent, payload: ArraySlice<UInt8>, in flow: FlowState) {}
    public func flowClosed(_ flow: FlowState) {}
    public func flowEnded(_ flow: FlowState) {}
}

/// What the reassembler concluded about one TCP packet.
public struct TCPSegmentMarks: OptionSet, Hashable, Sendable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Every byte it carried had been seen before.
    public static let retransmission = TCPSegmentMarks(rawValue: 1 << 0)
    /// It filled (part of) a hole: data after it had already arrived.
    public static let outOfOrder = TCPSegmentMarks(rawValue: 1 << 1)
    /// It arrived ahead of bytes not yet seen (Wireshark: "previous segment not captured").
    public static let ahead = TCPSegmentMarks(rawValue: 1 << 2)
    /// It re-sent bytes already seen, but with different content (Zeek's `rexmit_inconsistency`).
    public static let conflict = TCPSegmentMarks(rawValue: 1 << 3)
    /// Window field 0 on a segment that is not SYN/FIN/RST.
    public static let zeroWindow = TCPSegmentMarks(rawValue: 1 << 4)
    /// Part of its payload was not captured (snaplen).
    public static let payloadCut = TCPSegmentMarks(rawValue: 1 << 5)
    /// A super-segment: larger than the MSS the receiver announced, or an IPv4 total length 0 / IPv6 jumbogram
    /// packet (TSO/GSO/GRO, Linux BIG TCP); see `DirectionStatistics.superSegments`.
    public static let superSegment = TCPSegmentMarks(rawValue: 1 << 6)
}

/// One TCP packet of a flow, placed on its direction's byte axis.
public struct TCPSegmentEvent: Hashable, Sendable {
    /// 1-based frame number in the file.
    public var frame: Int
    public var time: Timestamp
    public var direction: Direction
    public var flags: TCPFlags
    /// The raw sequence number.
    public var sequenceNumber: UInt32
    /// Offset of the first payload byte on the direction's axis (0 = first byte after the SYN); negative for
    /// data from before the capture's first packet of that direction.
    public var offset: Int64
    /// Payload length the headers claim.
    public var length: Int
    /// Bytes of payload the capture holds (less than `length` when cut by the snaplen).
    public var capturedLength: Int
    /// The advertised receive window in bytes (scaled when both SYNs carried window scale).
    public var window: UInt64
    /// Acknowledgment as an offset on the *other* direction's axis, when ACK is set and that axis is known.
    public var acknowledgedOffset: Int64?
    public var marks: TCPSegmentMarks

    /// The byte range on the axis (empty for pure ACKs).
    public var range: Range<Int64> { offset..<(offset + Int64(length)) }
}

/// One UDP datagram of a flow.
public struct UDPDatagramEvent: Hashable, Sendable {
    public var frame: Int
    public var time: Timestamp
    public var direction: Direction
    /// Index of the datagram within its direction (0, 1, …).
    public var index: Int
    /// Payload length the headers claim.
    public var length: Int
    /// Payload bytes the capture holds.
    public var capturedLength: Int
}
