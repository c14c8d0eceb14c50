/// What `PacketDecoder` makes of one captured packet: the IP endpoints, the transport header and the
/// transport payload. Plain values; the payload is a slice of the record's bytes (or, for a reassembled
/// IP fragment train, of a new buffer), never a copy.
public struct DecodedPacket: Sendable {
    /// 4 or 6.
    public var ipVersion: UInt8
    public var source: IPAddress
    public var destination: IPAddress
    /// IPv4 TTL or IPv6 hop limit.
    public var hopLimit: UInt8
    public var transport: TransportHeader
    /// The transport payload as captured: TCP data or UDP data, with link-layer padding removed (the IP
    /// length decides). Shorter than `payloadLength` when the capture's snaplen cut the packet.
    public var payload: ArraySlice<UInt8>
    /// The payload length the headers claim.
    public var payloadLength: Int
    /// Whether the packet was rebuilt from IP fragments.
    public var wasReassembled: Bool
    /// A contradiction in the headers that did not stop decoding, as Wireshark flags it (a UDP length beyond
    /// the IP payload, an IP length beyond the frame: the shorter length is used). `nil` for a clean packet.
    public var problem: DecodeProblem? {
        get { problemBox?.problem }
        set { problemBox = newValue.map(DecodeProblemBox.init) }
    }
    /// Boxed so a clean packet carries 8 bytes for it, not a whole problem: packets are copied often.
    private var problemBox: DecodeProblemBox?

    public init(
        ipVersion: UInt8, source: IPAddress, destination: IPAddress, hopLimit: UInt8, transport: TransportHeader,
        payload: ArraySlice<UInt8>, payloadLength: Int, wasReassembled: Bool = false
    ) {
        self.ipVersion = ipVersion
        self.source = source
        self.destination = destination
        self.hopLimit = hopLimit
        self.transport = transport
        self.payload = payload
        self.payloadLength = payloadLength
        self.wasReassembled = wasReassembled
        self.problemBox = nil
    }

    /// Whether the snaplen cut the payload.
    public var isPayloadTruncated: Bool { payload.count < payloadLength }
}

/// The rare problem of a decoded packet, out of line.
private final class DecodeProblemBox: Sendable {
    let problem: DecodeProblem
    init(_ problem: DecodeProblem) { self.problem = problem }
}

/// The transport layer of a decoded packet.
public enum TransportHeader: Sendable {
    case tcp(TCPHeader)
    case udp(UDPHeader)
    /// Another IP protocol (ICMP, SCTP, …), by number.
    case other(protocolNumber: UInt8)
}

/// What the decoder made of a record.
public enum DecodeOutcome: Sendable {
    /// An IPv4 or IPv6 packet.
    case packet(DecodedPacket)
    /// An IP fragment that was kept until the rest arrives; nothing to deliver yet.
    case fragmentHeld
    /// A frame that is not IP (ARP, LLDP, …), with its EtherType (or SLL protocol) when known.
    case notIP(etherType: UInt16?)
    /// A link type Seam does not decode.
    case unsupportedLinkType(LinkType)
    /// Headers that are cut short or contradict themselves; `problem` says which and where.
    case malformed(DecodeProblem)
}

/// Why a packet could not be decoded: the layer and what was wrong, for per-flow counts and messages.
public struct DecodeProblem: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Layer: String, Sendable { case link, ipv4, ipv6, tcp, udp }
    public var layer: Layer
    public var reason: String
    /// The endpoints, when the IP header was good enough to know them (so the problem can be counted per flow).
    public var source: Endpoint?
    public var destination: Endpoint?

    public init(layer: Layer, reason: String, source: Endpoint? = nil, destination: Endpoint? = nil) {
        self.layer = layer
        self.reason = reason
        self.source = source
        self.destination = destination
    }

    public var description: String { "\(layer.rawValue): \(reason)" }
}

/// TCP control bits (RFC 9293 §3.1, plus ECN's ECE/CWR and the old NS bit).
public struct TCPFlags: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let fin = TCPFlags(rawValue: 0x001)
    public static let syn = TCPFlags(rawValue: 0x002)
    public static let rst = TCPFlags(rawValue: 0x004)
    public static let psh = TCPFlags(rawValue: 0x008)
    public static let ack = TCPFlags(rawValue: 0x010)
    public static let urg = TCPFlags(rawValue: 0x020)
    public static let ece = TCPFlags(rawValue: 0x040)
    public static let cwr = TCPFlags(rawValue: 0x080)
    public static let ns = TCPFlags(rawValue: 0x100)

    /// tcpdump's letters: `S`, `F`, `R`, `P`, `.` for ACK, `U`, `E`, `W`.
    public var description: String {
        var s = ""
        if contains(.syn) { s += "S" }
        if contains(.fin) { s += "F" }
        if contains(.rst) { s += "R" }
        if contains(.psh) { s += "P" }
        if contains(.urg) { s += "U" }
        if contains(.ece) { s += "E" }
        if contains(.cwr) { s += "W" }
        if contains(.ack) { s += "." }
        return s.isEmpty ? "none" : s
    }
}

/// A parsed TCP header (RFC 9293 §3.1) with the options Seam uses.
public struct TCPHeader: Hashable, Sendable {
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    public var sequenceNumber: UInt32
    public var acknowledgmentNumber: UInt32
    /// Header length in bytes (data offset × 4).
    public var headerLength: Int
    public var flags: TCPFlags
    /// The raw window field; shift it by the peer's window scale to get bytes.
    public var window: UInt16
    public var checksum: UInt16
    public var urgentPointer: UInt16
    public var options: TCPOptions

    public init(
        sourcePort: UInt16, destinationPort: UInt16, sequenceNumber: UInt32, acknowledgmentNumber: UInt32,
        headerLength: Int = 20, flags: TCPFlags, window: UInt16, checksum: UInt16 = 0, urgentPointer: UInt16 = 0,
        options: TCPOptions = TCPOptions()
    ) {
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.sequenceNumber = sequenceNumber
        self.acknowledgmentNumber = acknowledgmentNumber
        self.headerLength = headerLength
        self.flags = flags
        self.window = window
        self.checksum = checksum
        self.urgentPointer = urgentPointer
        self.options = options
    }
}

/// The TCP options Seam reads (RFC 9293 MSS, RFC 7323 window scale and timestamps, RFC 2018 SACK).
public struct TCPOptions: Hashable, Sendable {
    public var maximumSegmentSize: UInt16?
    public var windowScale: UInt8?
    public var sackPermitted: Bool
    /// SACK blocks as (left edge, right edge) sequence numbers; at most 4.
    public var sackBlocks: [SACKBlock]
    public var timestamp: TCPTimestampOption?
    /// Whether the options area was cut short by the snaplen or ended inside an option.
    public var isTruncated: Bool

    public init(
        maximumSegmentSize: UInt16? = nil, windowScale: UInt8? = nil, sackPermitted: Bool = false,
        sackBlocks: [SACKBlock] = [], timestamp: TCPTimestampOption? = nil, isTruncated: Bool = false
    ) {
        self.maximumSegmentSize = maximumSegmentSize
        self.windowScale = windowScale
        self.sackPermitted = sackPermitted
        self.sackBlocks = sackBlocks
        self.timestamp = timestamp
        self.isTruncated = isTruncated
    }
}

public struct SACKBlock: Hashable, Sendable {
    public var left: UInt32
    public var right: UInt32
    public init(left: UInt32, right: UInt32) {
        self.left = left
        self.right = right
    }
}

public struct TCPTimestampOption: Hashable, Sendable {
    public var value: UInt32
    public var echoReply: UInt32
    public init(value: UInt32, echoReply: UInt32) {
        self.value = value
        self.echoReply = echoReply
    }
}

/// A parsed UDP header (RFC 768).
public struct UDPHeader: Hashable, Sendable {
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    /// Header plus data, as the header says.
    public var length: UInt16
    public var checksum: UInt16

    public init(sourcePort: UInt16, destinationPort: UInt16, length: UInt16, checksum: UInt16 = 0) {
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.length = length
        self.checksum = checksum
    }
}
