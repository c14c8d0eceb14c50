/// A checked, zero-copy view of a UDP datagram (RFC 768).
///
/// ```
/// |          Source Port          |       Destination Port        |
/// |            Length             |           Checksum            |
/// ```
///
/// `init(checking:ipPayloadLength:)` needs the 8-byte header captured and a length field of at least 8. Like
/// Wireshark, a length field within the IP payload decides the datagram's end (the rest is padding); a length
/// field beyond the IP payload is a problem (`lengthProblem`) and the IP payload length is used instead.
public struct UDPDatagramView: Sendable {
    /// The datagram as captured, up to `datagramLength`.
    public let bytes: ArraySlice<UInt8>
    /// The length used: the length field, or the IP payload length when the field claims more.
    public let datagramLength: Int
    /// The IP layer's payload length.
    public let ipPayloadLength: Int

    @inline(__always) public init(checking data: ArraySlice<UInt8>, ipPayloadLength: Int) throws(DecodeProblem) {
        guard ipPayloadLength >= 8 else {
            throw DecodeProblem(layer: .udp, reason: "IP payload length \(ipPayloadLength) < 8-byte header")
        }
        guard data.count >= 8 else {
            throw DecodeProblem(layer: .udp, reason: "header needs 8 bytes, \(data.count) captured")
        }
        let length = Int(data.wireUInt16(4))
        guard length >= 8 else { throw DecodeProblem(layer: .udp, reason: "length \(length) < 8") }
        let used = min(length, ipPayloadLength)
        self.bytes = data.wireSlice(from: 0, length: used)
        self.datagramLength = used
        self.ipPayloadLength = ipPayloadLength
    }

    public var sourcePort: UInt16 { bytes.wireUInt16(0) }
    public var destinationPort: UInt16 { bytes.wireUInt16(2) }
    /// The length field: header plus data.
    public var length: UInt16 { bytes.wireUInt16(4) }
    public var checksum: UInt16 { bytes.wireUInt16(6) }
    /// The data as captured.
    @inline(__always) public var payload: ArraySlice<UInt8> { bytes.wireSlice(from: 8, length: payloadLength) }
    /// The data length the headers claim.
    public var payloadLength: Int { datagramLength - 8 }
    /// Whether the length field disagrees with the IP payload as Wireshark flags it (field > IP payload).
    public var lengthProblem: DecodeProblem? {
        guard Int(length) > ipPayloadLength else { return nil }
        return DecodeProblem(layer: .udp, reason: "length \(length) > IP payload length \(ipPayloadLength)")
    }
}

extension UDPHeader {
    public init(_ view: UDPDatagramView) {
        self.init(
            sourcePort: view.sourcePort, destinationPort: view.destinationPort, length: view.length,
            checksum: view.checksum)
    }

    /// Parses a UDP header at the start of `bytes`, which hold the whole datagram.
    public init(parsing bytes: ArraySlice<UInt8>) throws(DecodeProblem) {
        self.init(try UDPDatagramView(checking: bytes, ipPayloadLength: bytes.count))
    }

    /// Appends the 8-byte header as it is (`PacketBuilder` fills length and checksum).
    public func emit(into out: inout [UInt8]) {
        out.appendUInt16(sourcePort)  // source port
        out.appendUInt16(destinationPort)  // destination port
        out.appendUInt16(length)  // length: header plus data
        out.appendUInt16(checksum)  // checksum (0: none, IPv4 only)
    }
}
