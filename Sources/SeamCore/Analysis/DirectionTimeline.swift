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
    /// Where the messages of this direction come from, when no framing cuts them: the original sender's send
    /// calls (on a proxied connection, the client's or server's own, never the proxy's).
    public var messageSends: [LayerRange]?
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
    /// When a RST ended the flow, if one did, and the side that sent it.
    public var resetTime: Timestamp?
    public var resetSide: Side?
    /// The sender's FIN, and the sender's RST, when the capture saw them.
    public var senderFINTime: Timestamp?
    public var senderResetTime: Timestamp?
    /// The highest offset the receiver's kernel acknowledged: what was delivered to it.
    public var acknowledged: UInt64?
    /// How much smaller the receiver's last advertised window was than its largest: bytes that sat unread in
    /// its buffer at the end (a window reopens as the program reads).
    public var receiverWindowShrink: UInt64?
    /// The capture saw segments larger than the sender's MSS (GSO/TSO, BIG TCP): segment sizes do not show the MSS.
    public var sawSuperSegments = false
    /// The largest segment of this direction the capture saw (the GSO size, when it saw super-segments).
    public var largestSegment = 0
    /// The pairing `--pairing` declared, when the framing does not imply one.
    var declaredPairing: RequestPairing?
    /// Framings that would fit the first bytes (a hint when no framing was given): guessed from `firstBytes`
    /// when a renderer asks (most reports never print them), unless set.
    public var framingHints: [FramingSpec] {
        get { hintsSet ?? (firstBytes.isEmpty ? [] : FramingSpec.guess(firstBytes: firstBytes[...])) }
        set { hintsSet = newValue }
    }
    /// The direction's first bytes (at most 64), for `framingHints`.
    var firstBytes: [UInt8] = []
    private var hintsSet: [FramingSpec]?
    /// Why the framing does not fit this direction (where it failed, what fits instead), if it does not; its
    /// messages are then void.
    public var framingError: String?
    /// How the framing that cut the messages was chosen; `nil` when no framing cut them.
    public var framingChoice: FramingOrigin?
    /// The fit detection picked (`auto`, `detected`): how much it parsed, how it agrees with the sends.
    public var detectedFit: FramingFit?
    /// The framing the messages were cut with, when a framing cut them.
    public var framing: FramingSpec? {
        if case .framing(let spec) = messageSource { return spec }
        return nil
    }

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
