/// A checked, zero-copy view of a PPPoE session frame (RFC 2516 §4, EtherType 0x8864) and its PPP protocol
/// field (RFC 1661): how DSL links carry IP inside Ethernet.
///
/// ```
/// | ver (4) | type (4) | code (8) | session id (16) | length (16) | PPP protocol (16) | payload |
/// ```
///
/// `length` counts the PPP protocol field and payload; bytes past it are padding and not in the view.
public struct PPPoESessionView: Sendable {
    public static let etherType: UInt16 = 0x8864
    /// PPP protocol numbers for IP.
    public static let pppIPv4: UInt16 = 0x0021
    public static let pppIPv6: UInt16 = 0x0057

    public let bytes: ArraySlice<UInt8>

    @inline(__always) public init(checking data: ArraySlice<UInt8>) throws(DecodeProblem) {
        guard data.count >= 8 else {
            throw DecodeProblem(layer: .link, reason: "PPPoE session header needs 8 bytes, \(data.count) captured")
        }
        let length = Int(data.wireUInt16(4))
        guard length >= 2 else { throw DecodeProblem(layer: .link, reason: "PPPoE length \(length) < 2") }
        self.bytes = data.wireSlice(from: 0, length: 6 + length)
    }

    public var version: UInt8 { bytes.wireUInt8(0) >> 4 }
    public var code: UInt8 { bytes.wireUInt8(1) }
    public var sessionID: UInt16 { bytes.wireUInt16(2) }
    /// The PPPoE length field: PPP protocol plus payload.
    public var length: Int { Int(bytes.wireUInt16(4)) }
    public var pppProtocol: UInt16 { bytes.wireUInt16(6) }
    /// The PPP payload as captured.
    @inline(__always) public var payload: ArraySlice<UInt8> { bytes.wireSlice(from: 8, length: length - 2) }
    /// The EtherType that `pppProtocol` stands for (IPv4, IPv6), or `nil`.
    public var etherType: UInt16? {
        switch pppProtocol {
        case Self.pppIPv4: return Wire.EtherType.ipv4
        case Self.pppIPv6: return Wire.EtherType.ipv6
        default: return nil
        }
    }
}
