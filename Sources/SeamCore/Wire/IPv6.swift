/// A checked, zero-copy view of an IPv6 packet (RFC 8200 §3) and its chain of extension headers (§4).
///
/// ```
/// |Version| Traffic Class |           Flow Label                  |
/// |         Payload Length        |  Next Header  |   Hop Limit   |
/// |                 Source Address (16 bytes)                     |
/// |              Destination Address (16 bytes)                   |
/// | extension headers: hop-by-hop 0, routing 43, fragment 44, destination options 60, AH 51 … |
/// ```
///
/// `init(checking:)` checks the fixed header and walks the extension headers, checking that each was captured
/// and lies within the payload length. The walk stops at the upper-layer header, at no-next-header (59), or at a
/// real fragment header (the rest is a fragment of the datagram). An atomic fragment (offset 0, M = 0, RFC 6946)
/// is stepped over like any other extension header. Bytes past the payload length (padding) are not in the view.
///
/// A jumbogram (RFC 2675: payload length 0, a hop-by-hop header with the Jumbo Payload option) takes its length
/// from the option; Linux writes these for BIG TCP GSO packets above 64 KiB (`isJumbogram`). A payload length
/// of 0 without the option is refused, as Wireshark does by default (`ipv6.tso_support` is off).
public struct IPv6PacketView: Sendable {
    /// The fixed header, extension headers and captured payload, up to 40 + payload length.
    public let bytes: ArraySlice<UInt8>
    /// The protocol of the bytes at `upperLayerOffset` (6 TCP, 17 UDP, 59 none, …). For a real fragment, 44.
    public let upperLayerProtocol: UInt8
    /// Offset of the upper-layer header (or of the fragment data) from the start of the packet.
    public let upperLayerOffset: Int
    /// Offset of a real fragment header (not an atomic one), if the packet is a fragment.
    public let fragmentHeaderOffset: Int?

    /// A view of the packet at the start of `data`. `wireLength` is how many bytes from this header on the frame
    /// had on the wire; a payload length beyond it is used as the wire length allows (like Wireshark).
    @inline(__always) public init(checking data: ArraySlice<UInt8>, wireLength: Int = Int.max) throws(DecodeProblem) {
        guard data.count >= 40 else {
            throw DecodeProblem(layer: .ipv6, reason: "header needs 40 bytes, \(data.count) captured")
        }
        let version = data.wireUInt8(0) >> 4
        guard version == 6 else { throw DecodeProblem(layer: .ipv6, reason: "version \(version), expected 6") }
        var claimedPayloadLength = Int(data.wireUInt16(4))
        let firstNextHeader = data.wireUInt8(6)
        let isJumbogram = claimedPayloadLength == 0 && firstNextHeader == Wire.IPProtocol.hopByHop
        if isJumbogram {
            guard let jumbo = Self.jumboPayloadLength(data) else {
                throw DecodeProblem(
                    layer: .ipv6, reason: "payload length 0 and no Jumbo Payload option in the hop-by-hop header")
            }
            claimedPayloadLength = jumbo
        }
        let payloadLength = min(claimedPayloadLength, max(wireLength, data.count) - 40)
        let bytes = data.wireSlice(from: 0, length: 40 + payloadLength)
        let walk = try Self.walkExtensionHeaders(
            startingWith: firstNextHeader, in: bytes, at: 40, claimedEnd: 40 + payloadLength)
        self.bytes = bytes
        self.payloadLength = payloadLength
        self.claimedPayloadLength = claimedPayloadLength
        self.isJumbogram = isJumbogram
        self.upperLayerProtocol = walk.protocolNumber
        self.upperLayerOffset = walk.offset
        self.fragmentHeaderOffset = walk.fragmentHeaderOffset
    }

    public var trafficClass: UInt8 { UInt8(truncatingIfNeeded: bytes.wireUInt16(0) >> 4) }
    public var flowLabel: UInt32 { bytes.wireUInt32(0) & 0x000f_ffff }
    /// Bytes after the fixed header: the claimed payload length, or less when the frame was shorter on the wire.
    public let payloadLength: Int
    /// The payload length field as sent (0 in a jumbogram).
    public var payloadLengthField: Int { Int(bytes.wireUInt16(4)) }
    /// The payload length the packet claims: the field, or a jumbogram's Jumbo Payload option.
    public let claimedPayloadLength: Int
    /// Whether the length came from a Jumbo Payload option (RFC 2675): a GSO super-packet above 64 KiB (Linux
    /// BIG TCP).
    public let isJumbogram: Bool
    /// The problem when the claimed payload length is more than the frame held on the wire.
    public var payloadLengthExceedsFrame: DecodeProblem? {
        guard claimedPayloadLength > payloadLength else { return nil }
        return DecodeProblem(
            layer: .ipv6, reason: "payload length \(claimedPayloadLength) exceeds the packet length \(payloadLength)")
    }
    /// The next-header field of the fixed header.
    public var nextHeader: UInt8 { bytes.wireUInt8(6) }
    public var hopLimit: UInt8 { bytes.wireUInt8(7) }
    public var source: IPAddress {
        let (high, low) = Self.address(bytes, at: 8)
        return .v6(high, low)
    }
    public var destination: IPAddress {
        let (high, low) = Self.address(bytes, at: 24)
        return .v6(high, low)
    }
    /// The upper-layer bytes (or fragment data) as captured; padding removed.
    @inline(__always) public var payload: ArraySlice<UInt8> {
        bytes.wireSlice(from: upperLayerOffset, length: upperLayerLength)
    }
    /// The upper-layer length the header claims.
    public var upperLayerLength: Int { 40 + payloadLength - upperLayerOffset }
    /// Whether the snaplen cut the payload.
    public var isTruncated: Bool { bytes.count < 40 + payloadLength }
    public var isFragment: Bool { fragmentHeaderOffset != nil }
    /// The fragment's offset in bytes (0 when not a fragment).
    public var fragmentOffset: Int {
        guard let at = fragmentHeaderOffset else { return 0 }
        return Int(bytes.wireUInt16(at + 2) & 0xfff8)
    }
    public var moreFragments: Bool {
        guard let at = fragmentHeaderOffset else { return false }
        return bytes.wireUInt16(at + 2) & 1 != 0
    }
    public var fragmentIdentification: UInt32 {
        guard let at = fragmentHeaderOffset else { return 0 }
        return bytes.wireUInt32(at + 4)
    }
    /// The next header inside the fragment header: the protocol of the reassembled fragmentable part.
    public var fragmentNextHeader: UInt8 {
        guard let at = fragmentHeaderOffset else { return upperLayerProtocol }
        return bytes.wireUInt8(at)
    }

    /// Where an extension-header walk ended.
    struct Walk {
        var protocolNumber: UInt8
        var offset: Int
        var fragmentHeaderOffset: Int?
    }

    /// Steps over extension headers from `offset`; each must be captured and end by `claimedEnd`.
    static func walkExtensionHeaders(
        startingWith first: UInt8, in bytes: ArraySlice<UInt8>, at start: Int, claimedEnd: Int
    ) throws(DecodeProblem) -> Walk {
        var next = first
        var offset = start
        for _ in 0..<16 {  // more would be an attack, not a packet
            let length: Int
            switch next {
            case Wire.IPProtocol.hopByHop, Wire.IPProtocol.ipv6Routing, Wire.IPProtocol.ipv6DestinationOptions:
                guard offset + 2 <= bytes.count else { throw cut(next, offset, bytes.count, claimedEnd) }
                length = (Int(bytes.wireUInt8(offset + 1)) + 1) * 8
            case 51:  // authentication header (RFC 4302): length in 4-byte units minus 2
                guard offset + 2 <= bytes.count else { throw cut(next, offset, bytes.count, claimedEnd) }
                length = (Int(bytes.wireUInt8(offset + 1)) + 2) * 4
            case Wire.IPProtocol.ipv6Fragment:
                length = 8
            default:
                return Walk(protocolNumber: next, offset: offset, fragmentHeaderOffset: nil)
            }
            guard offset + length <= claimedEnd else {
                throw DecodeProblem(
                    layer: .ipv6,
                    reason: "extension header \(next) of \(length) bytes at \(offset) beyond payload end \(claimedEnd)")
            }
            guard offset + length <= bytes.count else { throw cut(next, offset, bytes.count, claimedEnd) }
            if next == Wire.IPProtocol.ipv6Fragment {
                let offsetAndFlags = bytes.wireUInt16(offset + 2)
                if offsetAndFlags & 0xfff9 != 0 {  // real fragment: offset or M set
                    return Walk(protocolNumber: next, offset: offset + 8, fragmentHeaderOffset: offset)
                }
            }
            next = bytes.wireUInt8(offset)
            offset += length
        }
        throw DecodeProblem(layer: .ipv6, reason: "more than 16 extension headers")
    }

    private static func cut(_ header: UInt8, _ offset: Int, _ captured: Int, _ end: Int) -> DecodeProblem {
        DecodeProblem(layer: .ipv6, reason: "extension header \(header) at \(offset) cut short (\(captured) captured)")
    }

    /// The Jumbo Payload option's length (RFC 2675 §2: option type 0xC2, 4 bytes) in the hop-by-hop header
    /// right after the fixed header, if that header was captured and holds the option.
    static func jumboPayloadLength(_ data: ArraySlice<UInt8>) -> Int? {
        guard data.count >= 48 else { return nil }
        let end = min(40 + (Int(data.wireUInt8(41)) + 1) * 8, data.count)
        var offset = 42
        while offset < end {
            let type = data.wireUInt8(offset)
            if type == 0 {  // Pad1
                offset += 1
                continue
            }
            guard offset + 2 <= end else { return nil }
            let length = Int(data.wireUInt8(offset + 1))
            if type == 0xC2 && length == 4 && offset + 6 <= end { return Int(data.wireUInt32(offset + 2)) }
            offset += 2 + length
        }
        return nil
    }

    /// Source and destination of a version-6 fixed header at the start of `data`, if 40 bytes were captured.
    static func addresses(ofFixedHeader data: ArraySlice<UInt8>) -> (IPAddress, IPAddress)? {
        guard data.count >= 40, data.wireUInt8(0) >> 4 == 6 else { return nil }
        let source = address(data, at: 8)
        let destination = address(data, at: 24)
        return (.v6(source.0, source.1), .v6(destination.0, destination.1))
    }

    private static func address(_ bytes: ArraySlice<UInt8>, at offset: Int) -> (UInt64, UInt64) {
        let high = UInt64(bytes.wireUInt32(offset)) << 32 | UInt64(bytes.wireUInt32(offset + 4))
        let low = UInt64(bytes.wireUInt32(offset + 8)) << 32 | UInt64(bytes.wireUInt32(offset + 12))
        return (high, low)
    }
}

/// A parsed IPv6 fixed header (RFC 8200 §3).
public struct IPv6Header: Hashable, Sendable {
    public var trafficClass: UInt8
    public var flowLabel: UInt32
    /// Bytes after the fixed header: extension headers plus upper-layer data.
    public var payloadLength: Int
    public var nextHeader: UInt8
    public var hopLimit: UInt8
    public var source: IPAddress
    public var destination: IPAddress

    public init(
        source: IPAddress, destination: IPAddress, nextHeader: UInt8, payloadLength: Int, hopLimit: UInt8 = 64,
        trafficClass: UInt8 = 0, flowLabel: UInt32 = 0
    ) {
        self.source = source
        self.destination = destination
        self.nextHeader = nextHeader
        self.payloadLength = payloadLength
        self.hopLimit = hopLimit
        self.trafficClass = trafficClass
        self.flowLabel = flowLabel
    }

    public init(_ view: IPv6PacketView) {
        self.init(
            source: view.source, destination: view.destination, nextHeader: view.nextHeader,
            payloadLength: view.payloadLength, hopLimit: view.hopLimit, trafficClass: view.trafficClass,
            flowLabel: view.flowLabel)
    }

    public init(parsing bytes: ArraySlice<UInt8>) throws(DecodeProblem) {
        self.init(try IPv6PacketView(checking: bytes))
    }

    /// Appends the 40-byte fixed header (IPv4 addresses are written as zeros).
    public func emit(into out: inout [UInt8]) {
        out.appendUInt32(6 << 28 | UInt32(trafficClass) << 20 | flowLabel & 0x000f_ffff)  // version, TC, flow
        out.appendUInt16(payloadLength > 0xFFFF ? 0 : UInt16(payloadLength))  // payload length; 0: a jumbogram
        out.append(nextHeader)  // next header
        out.append(hopLimit)  // hop limit
        for address in [source, destination] {
            if case .v6 = address {
                out.append(contentsOf: address.bytes)
            } else {
                out.append(contentsOf: repeatElement(0, count: 16))
            }
        }
    }
}
