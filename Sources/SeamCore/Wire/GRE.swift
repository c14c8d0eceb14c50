/// A checked, zero-copy view of a GRE header (RFC 2784, with RFC 2890's key and sequence number): IP protocol
/// 47, how tunnels (and Linux `gretap`, ERSPAN's transport) carry IP or Ethernet inside IP.
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// |C|R|K|S| Reserved0       | Ver |         Protocol Type         |
/// |      Checksum (optional, C or R)  |       Reserved1 (optional)  |
/// |                         Key (optional, K)                     |
/// |                 Sequence Number (optional, S)                 |
/// ```
///
/// `init(checking:)` accepts version 0 without RFC 1701 source routing (R), whose header was captured whole.
/// The payload is what follows, as captured; its own header says how long it is.
public struct GREPacketView: Sendable {
    /// IP protocol number of GRE.
    public static let protocolNumber: UInt8 = 47
    /// Protocol type of a bridged Ethernet frame (`gretap`).
    public static let transparentEthernetBridging: UInt16 = 0x6558

    private enum Flag {
        static let checksum: UInt16 = 0x8000
        static let routing: UInt16 = 0x4000
        static let key: UInt16 = 0x2000
        static let sequence: UInt16 = 0x1000
        static let version: UInt16 = 0x0007
    }

    public let bytes: ArraySlice<UInt8>
    /// 4 plus 4 for each of checksum, key and sequence number present.
    public let headerLength: Int

    @inline(__always) public init(checking data: ArraySlice<UInt8>) throws(DecodeProblem) {
        guard data.count >= 4 else {
            throw DecodeProblem(layer: .link, reason: "GRE header needs 4 bytes, \(data.count) captured")
        }
        let flags = data.wireUInt16(0)
        guard flags & Flag.version == 0 else {
            throw DecodeProblem(layer: .link, reason: "GRE version \(flags & Flag.version), expected 0")
        }
        guard flags & Flag.routing == 0 else {
            throw DecodeProblem(layer: .link, reason: "GRE source routing (RFC 1701) not supported")
        }
        var length = 4
        if flags & Flag.checksum != 0 { length += 4 }
        if flags & Flag.key != 0 { length += 4 }
        if flags & Flag.sequence != 0 { length += 4 }
        guard data.count >= length else {
            throw DecodeProblem(layer: .link, reason: "GRE header of \(length) bytes, \(data.count) captured")
        }
        self.bytes = data
        self.headerLength = length
    }

    private var flags: UInt16 { bytes.wireUInt16(0) }
    /// The EtherType of the payload (0x0800 IPv4, 0x86dd IPv6, 0x6558 Ethernet).
    public var protocolType: UInt16 { bytes.wireUInt16(2) }
    public var hasChecksum: Bool { flags & Flag.checksum != 0 }
    /// The key (RFC 2890), when present.
    public var key: UInt32? {
        guard flags & Flag.key != 0 else { return nil }
        return bytes.wireUInt32(hasChecksum ? 8 : 4)
    }
    /// The sequence number (RFC 2890), when present.
    public var sequenceNumber: UInt32? {
        guard flags & Flag.sequence != 0 else { return nil }
        return bytes.wireUInt32(headerLength - 4)
    }
    @inline(__always) public var payload: ArraySlice<UInt8> {
        bytes.wireSlice(from: headerLength, length: bytes.count - headerLength)
    }
}

/// A GRE header to emit (version 0; the checksum field, when asked for, is written as 0).
public struct GREHeader: Hashable, Sendable {
    public var protocolType: UInt16
    public var key: UInt32?
    public var sequenceNumber: UInt32?

    public init(protocolType: UInt16, key: UInt32? = nil, sequenceNumber: UInt32? = nil) {
        self.protocolType = protocolType
        self.key = key
        self.sequenceNumber = sequenceNumber
    }

    public init(_ view: GREPacketView) {
        self.init(protocolType: view.protocolType, key: view.key, sequenceNumber: view.sequenceNumber)
    }

    public func emit(into out: inout [UInt8]) {
        var flags: UInt16 = 0
        if key != nil { flags |= 0x2000 }  // K
        if sequenceNumber != nil { flags |= 0x1000 }  // S
        out.appendUInt16(flags)  // C R K S, reserved0, version 0
        out.appendUInt16(protocolType)  // protocol type (an EtherType)
        if let key { out.appendUInt32(key) }  // key
        if let sequenceNumber { out.appendUInt32(sequenceNumber) }  // sequence number
    }
}
