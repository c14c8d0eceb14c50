/// Everything observed about one direction of one flow, as ranges on its byte axis: the input of the
/// boundary rule and of the lanes the reports draw.
public struct DirectionTimeline: Sendable {
    /// The receiver's advertised right window edge at a moment (ack offset + window).
    public struct WindowEdge: Hashable, Sendable {
        public var time: Timestamp
        public var edge: UInt64
    }

    public var direction: Direction
    public var proto: Transport
    /// The sender's write calls; `nil` when not observed.
    public var sends: [LayerRange]?
    /// TCP: segments that carried data (UDP: captured datagrams); `nil` when nothing was captured.
    public var segments: [LayerRange]?
    /// The receiver's read calls; `nil` when not observed.
    public var recvs: [LayerRange]?
    /// Whether `recvs` is a `--recv-size` what-if instead of observed reads.
    public var recvIsWhatIf = false
    public var messages: [MessageRange] = []
    public var messageSource: MessageSource = .unknown
    /// Byte ranges the capture never held.
    public var gaps: [Range<UInt64>] = []
    /// Bytes on the axis.
    public var bytes: UInt64 = 0
    /// The largest segment the sender may send: the MSS the receiver announced in its SYN.
    public var senderMSS: Int?
    public var windowEdges: [WindowEdge] = []
    public var zeroWindowTimes: [Timestamp] = []
    /// When a RST ended the flow, if one did.
    public var resetTime: Timestamp?
    /// Framings that would fit the first bytes (a hint when no framing was given).
    public var framingHints: [FramingSpec] = []
    /// Why framing stopped early, if it did.
    public var framingError: String?

    public init(direction: Direction, proto: Transport) {
        self.direction = direction
        self.proto = proto
    }

    /// The layers observed, in flow order.
    public var observedLayers: [Layer] {
        var layers: [Layer] = []
        if sends != nil { layers.append(.send) }
        if segments != nil { layers.append(proto == .tcp ? .segment : .datagram) }
        if recvs != nil && !recvIsWhatIf { layers.append(.recv) }
        return layers
    }

    /// Segments that brought new bytes, sorted, clipped so they do not overlap (retransmissions left out).
    var freshSegments: [LayerRange] {
        guard let segments else { return [] }
        var fresh = segments.filter { !$0.range.isEmpty && !$0.marks.contains(.retransmission) }
        fresh.sort { $0.range.lowerBound < $1.range.lowerBound }
        var end: UInt64 = 0
        var result: [LayerRange] = []
        result.reserveCapacity(fresh.count)
        for var segment in fresh {
            if segment.range.upperBound <= end { continue }
            if segment.range.lowerBound < end { segment.range = end..<segment.range.upperBound }
            end = segment.range.upperBound
            result.append(segment)
        }
        return result
    }
}
