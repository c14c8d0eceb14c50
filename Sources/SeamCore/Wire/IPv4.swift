/// A checked, zero-copy view of an IPv4 packet (RFC 791 §3.1).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// |Version|  IHL  |Type of Service|          Total Length         |
/// |         Identification        |Flags|      Fragment Offset    |
/// |  Time to Live |    Protocol   |         Header Checksum       |
/// |                       Source Address                          |
/// |                    Destination Address                        |
/// |                    Options (IHL > 5)                          |
/// ```
///
/// `init(checking:)` accepts a packet whose whole header was captured and whose total length is at least the
/// header; the payload may be cut by the snaplen (`isTruncated`). Bytes past the total length (Ethernet padding)
/// are not part of the view.
///
/// A total length of 0 is how Linux writes a TSO/GSO super-packet above 64 KiB (BIG TCP, `gso_ipv4_max_size`),
/// which no 16-bit field can hold: like Wireshark (`ip.tso_support`, on by default), the packet then runs to the
/// end of the frame as it was on the wire (`isTotalLengthFromFrame`).
public struct IPv4PacketView: Sendable {
    private enum Field {
        static let versionAndIHL = 0
        static let typeOfService = 1
        static let totalLength = 2
        static let identification = 4
        static let flagsAndFragmentOffset = 6
        static let timeToLive = 8
        static let protocolNumber = 9
        static let checksum = 10
        static let source = 12
        static let destination = 16
        static let options = 20
    }

    /// The header and the captured payload, up to the total length.
    public let bytes: ArraySlice<UInt8>
    /// Header length in bytes (IHL × 4), 20…60.
    public let headerLength: Int
    /// Header plus payload: the total length field, or the frame's length on the wire when that is shorter
    /// (`totalLengthExceedsFrame`).
    public let totalLength: Int

    /// Checks version, IHL, that the header was captured whole, and that the total length covers the header.
    ///
    /// `wireLength` is how many bytes from this header on the frame had on the wire (captured plus what the
    /// snaplen cut). A total length beyond it is a lying header, not a snaplen cut: like Wireshark, the wire
    /// length is used.
    @inline(__always) public init(checking data: ArraySlice<UInt8>, wireLength: Int = Int.max) throws(DecodeProblem) {
        guard data.count >= 20 else {
            throw DecodeProblem(layer: .ipv4, reason: "header needs 20 bytes, \(data.count) captured")
        }
        let version = data.wireUInt8(Field.versionAndIHL) >> 4
        guard version == 4 else { throw DecodeProblem(layer: .ipv4, reason: "version \(version), expected 4") }
        let headerLength = Int(data.wireUInt8(Field.versionAndIHL) & 0x0f) * 4
        guard headerLength >= 20 else {
            throw DecodeProblem(layer: .ipv4, reason: "IHL \(headerLength / 4) < 5")
        }
        let field = Int(data.wireUInt16(Field.totalLength))
        // Without a wire length (a header parsed on its own), a super-packet ends with the bytes given.
        let frameLength = max(wireLength, data.count)
        let totalLength = field == 0 ? (wireLength == Int.max ? data.count : frameLength) : min(field, frameLength)
        guard totalLength >= headerLength else {
            throw DecodeProblem(
                layer: .ipv4, reason: "total length \(totalLength) < header length \(headerLength)")
        }
        guard data.count >= headerLength else {
            throw DecodeProblem(
                layer: .ipv4, reason: "header of \(headerLength) bytes, \(data.count) captured")
        }
        self.bytes = data.wireSlice(from: 0, length: totalLength)
        self.headerLength = headerLength
        self.totalLength = totalLength
    }

    public var typeOfService: UInt8 { bytes.wireUInt8(Field.typeOfService) }
    /// The total length field as sent.
    public var totalLengthField: Int { Int(bytes.wireUInt16(Field.totalLength)) }
    /// Whether the total length field was 0 and the length came from the frame: a TSO/GSO super-packet (Linux
    /// BIG TCP writes them above 64 KiB).
    public var isTotalLengthFromFrame: Bool { totalLengthField == 0 }
    /// The problem when the total length field claims more than the frame held on the wire.
    public var totalLengthExceedsFrame: DecodeProblem? {
        guard totalLengthField > totalLength else { return nil }
        return DecodeProblem(
            layer: .ipv4, reason: "total length \(totalLengthField) exceeds the packet length \(totalLength)")
    }
    public var identification: UInt16 { bytes.wireUInt16(Field.identification) }
    public var dontFragment: Bool { bytes.wireUInt16(Field.flagsAndFragmentOffset) & 0x4000 != 0 }
    public var moreFragments: Bool { bytes.wireUInt16(Field.flagsAndFragmentOffset) & 0x2000 != 0 }
    /// The fragment offset in bytes (the field × 8).
    public var fragmentOffset: Int { Int(bytes.wireUInt16(Field.flagsAndFragmentOffset) & 0x1fff) * 8 }
    /// Whether this packet is a fragment of a larger datagram (MF set or offset non-zero).
    public var isFragment: Bool { bytes.wireUInt16(Field.flagsAndFragmentOffset) & 0x3fff != 0 }
    public var timeToLive: UInt8 { bytes.wireUInt8(Field.timeToLive) }
    public var protocolNumber: UInt8 { bytes.wireUInt8(Field.protocolNumber) }
    public var checksum: UInt16 { bytes.wireUInt16(Field.checksum) }
    public var source: IPAddress { .v4(bytes.wireUInt32(Field.source)) }
    public var destination: IPAddress { .v4(bytes.wireUInt32(Field.destination)) }
    /// The options area (empty when IHL is 5).
    @inline(__always) public var options: ArraySlice<UInt8> {
        bytes.wireSlice(from: Field.options, length: headerLength - 20)
    }
    /// The payload as captured, padding removed; shorter than `payloadLength` when the snaplen cut it.
    @inline(__always) public var payload: ArraySlice<UInt8> {
        bytes.wireSlice(from: headerLength, length: payloadLength)
    }
    /// The payload length the header claims.
    public var payloadLength: Int { totalLength - headerLength }
    /// Whether the snaplen cut the payload.
    public var isTruncated: Bool { bytes.count < totalLength }
    /// Whether the header checksum is right.
    public var isChecksumValid: Bool { InternetChecksum.checksum(bytes.wireSlice(from: 0, length: headerLength)) == 0 }
}

/// A parsed IPv4 header (RFC 791).
public struct IPv4Header: Hashable, Sendable {
    public var typeOfService: UInt8
    public var identification: UInt16
    public var dontFragment: Bool
    public var moreFragments: Bool
    /// Fragment offset in bytes; a multiple of 8.
    public var fragmentOffset: Int
    public var timeToLive: UInt8
    public var protocolNumber: UInt8
    /// The checksum field as read (`emit` computes its own).
    public var checksum: UInt16
    public var source: IPAddress
    public var destination: IPAddress
    /// Raw options, a multiple of 4 bytes long (at most 40).
    public var options: [UInt8]
    /// Bytes after the header, as the total length says.
    public var payloadLength: Int

    public init(
        source: IPAddress, destination: IPAddress, protocolNumber: UInt8, payloadLength: Int,
        timeToLive: UInt8 = 64, identification: UInt16 = 0, dontFragment: Bool = false,
        moreFragments: Bool = false, fragmentOffset: Int = 0, typeOfService: UInt8 = 0, options: [UInt8] = [],
        checksum: UInt16 = 0
    ) {
        self.source = source
        self.destination = destination
        self.protocolNumber = protocolNumber
        self.payloadLength = payloadLength
        self.timeToLive = timeToLive
        self.identification = identification
        self.dontFragment = dontFragment
        self.moreFragments = moreFragments
        self.fragmentOffset = fragmentOffset
        self.typeOfService = typeOfService
        self.options = options
        self.checksum = checksum
    }

    /// Parses the header of a checked view.
    public init(_ view: IPv4PacketView) {
        self.init(
            source: view.source, destination: view.destination, protocolNumber: view.protocolNumber,
            payloadLength: view.payloadLength, timeToLive: view.timeToLive, identification: view.identification,
            dontFragment: view.dontFragment, moreFragments: view.moreFragments, fragmentOffset: view.fragmentOffset,
            typeOfService: view.typeOfService, options: Array(view.options), checksum: view.checksum)
    }

    /// Parses an IPv4 header at the start of `bytes`.
    public init(parsing bytes: ArraySlice<UInt8>) throws(DecodeProblem) {
        self.init(try IPv4PacketView(checking: bytes))
    }

    /// Header length in bytes: 20 plus the options padded to 4.
    public var headerLength: Int { 20 + (options.count + 3) / 4 * 4 }

    /// Appends the header with its total length and a correct header checksum (IPv4 addresses required;
    /// an IPv6 address is written as 0.0.0.0).
    public func emit(into out: inout [UInt8]) {
        let start = out.count
        let headerLength = self.headerLength
        out.append(0x40 | UInt8(headerLength / 4))  // version 4, IHL
        out.append(typeOfService)  // DSCP + ECN
        let total = headerLength + payloadLength
        out.appendUInt16(total > 0xFFFF ? 0 : UInt16(total))  // total length; 0 above 64 KiB, as Linux's BIG TCP
        out.appendUInt16(identification)  // identification
        var flags = UInt16(truncatingIfNeeded: fragmentOffset / 8) & 0x1fff  // fragment offset (8-byte units)
        if dontFragment { flags |= 0x4000 }  // DF
        if moreFragments { flags |= 0x2000 }  // MF
        out.appendUInt16(flags)
        out.append(timeToLive)  // TTL
        out.append(protocolNumber)  // protocol
        out.appendUInt16(0)  // header checksum, filled below
        out.appendUInt32(Self.v4Value(source))  // source address
        out.appendUInt32(Self.v4Value(destination))  // destination address
        out.append(contentsOf: options)
        while out.count - start < headerLength { out.append(0) }  // options padding (EOL)
        out.setUInt16(InternetChecksum.checksum(out[start..<(start + headerLength)]), at: start + 10)
    }

    static func v4Value(_ address: IPAddress) -> UInt32 {
        if case .v4(let v) = address { return v }
        return 0
    }
}
