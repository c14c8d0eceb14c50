/// One IPv6 extension header to emit (RFC 8200 §4): its type and its body after the next-header byte.
public struct IPv6ExtensionHeader: Hashable, Sendable {
    /// The header's own protocol number (0 hop-by-hop, 43 routing, 44 fragment, 60 destination options).
    public var type: UInt8
    /// Bytes after the next-header and length bytes (for the fragment header, after the next-header and
    /// reserved bytes). Options headers are padded to a multiple of 8 with PadN on emit.
    public var body: [UInt8]

    public init(type: UInt8, body: [UInt8]) {
        self.type = type
        self.body = body
    }

    /// Hop-by-hop options holding only padding.
    public static let hopByHop = IPv6ExtensionHeader(type: Wire.IPProtocol.hopByHop, body: [])
    /// Destination options holding only padding.
    public static let destinationOptions = IPv6ExtensionHeader(
        type: Wire.IPProtocol.ipv6DestinationOptions, body: [])

    /// Hop-by-hop options holding a Jumbo Payload option (RFC 2675 §2, type 0xC2): the packet's length after
    /// the fixed header, hop-by-hop header included. It must come first, with the payload length field 0.
    public static func jumboPayload(length: UInt32) -> IPv6ExtensionHeader {
        var body: [UInt8] = [0xC2, 4]  // option type, option data length
        body.appendUInt32(length)  // jumbo payload length
        return IPv6ExtensionHeader(type: Wire.IPProtocol.hopByHop, body: body)
    }

    /// A routing header of `routingType` (0 is the deprecated source route) listing `addresses`.
    public static func routing(type routingType: UInt8 = 0, segmentsLeft: UInt8 = 0, addresses: [IPAddress])
        -> IPv6ExtensionHeader
    {
        var body: [UInt8] = [routingType, segmentsLeft, 0, 0, 0, 0]
        for address in addresses { body += address.bytes }
        return IPv6ExtensionHeader(type: Wire.IPProtocol.ipv6Routing, body: body)
    }

    /// A fragment header; `offset` in bytes (multiple of 8). Offset 0 with `moreFragments` false is atomic.
    public static func fragment(offset: Int, moreFragments: Bool, identification: UInt32) -> IPv6ExtensionHeader {
        var body: [UInt8] = [0]  // reserved
        body.appendUInt16(UInt16(truncatingIfNeeded: offset) & 0xfff8 | (moreFragments ? 1 : 0))
        body.appendUInt32(identification)
        return IPv6ExtensionHeader(type: Wire.IPProtocol.ipv6Fragment, body: body)
    }

    /// Length on the wire.
    public var encodedLength: Int {
        type == Wire.IPProtocol.ipv6Fragment ? 8 : (2 + body.count + 7) / 8 * 8
    }

    /// Appends the header with `nextHeader` as the protocol that follows it.
    public func emit(into out: inout [UInt8], nextHeader: UInt8) {
        out.append(nextHeader)  // next header
        if type == Wire.IPProtocol.ipv6Fragment {
            out.append(contentsOf: body.prefix(7))  // reserved, offset + M, identification
            return
        }
        let length = encodedLength
        out.append(UInt8(length / 8 - 1))  // hdr ext len, 8-byte units not counting the first
        out.append(contentsOf: body)
        let padding = length - 2 - body.count
        if padding == 1 {
            out.append(0)  // Pad1
        } else if padding > 1 {
            out.append(1)  // PadN
            out.append(UInt8(padding - 2))
            out.append(contentsOf: repeatElement(0, count: padding - 2))
        }
    }
}
