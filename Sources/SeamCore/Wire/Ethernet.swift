/// A checked, zero-copy view of an Ethernet II frame with up to eight 802.1Q / 802.1ad (QinQ) tags.
///
/// ```
/// | destination (6) | source (6) | [TPID 0x8100/0x88a8/0x9100 (2) | TCI (2)]* | EtherType (2) | payload |
/// ```
///
/// The payload runs to the end of the captured bytes, padding included; the IP layer's length trims it.
public struct EthernetFrameView: Sendable {
    public let bytes: ArraySlice<UInt8>
    /// Number of VLAN tags between the source address and the EtherType.
    public let vlanTagCount: Int

    @inline(__always) public init(checking data: ArraySlice<UInt8>) throws(DecodeProblem) {
        guard data.count >= 14 else {
            throw DecodeProblem(layer: .link, reason: "Ethernet header needs 14 bytes, \(data.count) captured")
        }
        var tags = 0
        while Self.isTagProtocol(data.wireUInt16(12 + 4 * tags)) {
            tags += 1
            guard tags <= 8 else { throw DecodeProblem(layer: .link, reason: "more than 8 VLAN tags") }
            guard data.count >= 14 + 4 * tags else {
                throw DecodeProblem(
                    layer: .link, reason: "VLAN tag \(tags) cut short, \(data.count) bytes captured")
            }
        }
        self.bytes = data
        self.vlanTagCount = tags
    }

    static func isTagProtocol(_ value: UInt16) -> Bool {
        value == Wire.EtherType.vlan || value == Wire.EtherType.qinq || value == Wire.EtherType.qinqLegacy
    }

    public var destination: MACAddress { MACAddress(rawValue: Self.mac(bytes, at: 0)) }
    public var source: MACAddress { MACAddress(rawValue: Self.mac(bytes, at: 6)) }
    /// The tag at `index` (0 is the outermost); `nil` past `vlanTagCount`.
    public func vlanTag(at index: Int) -> VLANTag? {
        guard index >= 0, index < vlanTagCount else { return nil }
        return VLANTag(
            tagProtocol: bytes.wireUInt16(12 + 4 * index), controlInformation: bytes.wireUInt16(14 + 4 * index))
    }
    /// The EtherType after the tags (a value ≤ 1500 is an 802.3 length).
    public var etherType: UInt16 { bytes.wireUInt16(headerLength - 2) }
    /// 14 plus 4 per tag.
    public var headerLength: Int { 14 + 4 * vlanTagCount }
    @inline(__always) public var payload: ArraySlice<UInt8> { bytes.wireSlice(from: headerLength, length: bytes.count) }

    private static func mac(_ bytes: ArraySlice<UInt8>, at offset: Int) -> UInt64 {
        UInt64(bytes.wireUInt16(offset)) << 32 | UInt64(bytes.wireUInt32(offset + 2))
    }
}

/// A parsed Ethernet II header with its VLAN tags, outermost first.
public struct EthernetHeader: Hashable, Sendable {
    public var destination: MACAddress
    public var source: MACAddress
    public var vlanTags: [VLANTag]
    public var etherType: UInt16

    public init(destination: MACAddress, source: MACAddress, vlanTags: [VLANTag] = [], etherType: UInt16) {
        self.destination = destination
        self.source = source
        self.vlanTags = vlanTags
        self.etherType = etherType
    }

    public init(_ view: EthernetFrameView) {
        self.init(
            destination: view.destination, source: view.source,
            vlanTags: (0..<view.vlanTagCount).compactMap { view.vlanTag(at: $0) }, etherType: view.etherType)
    }

    public init(parsing bytes: ArraySlice<UInt8>) throws(DecodeProblem) {
        self.init(try EthernetFrameView(checking: bytes))
    }

    public var headerLength: Int { 14 + 4 * vlanTags.count }

    public func emit(into out: inout [UInt8]) {
        destination.emit(into: &out)  // destination MAC
        source.emit(into: &out)  // source MAC
        for tag in vlanTags {
            out.appendUInt16(tag.tagProtocol)  // TPID
            out.appendUInt16(tag.controlInformation)  // PCP, DEI, VID
        }
        out.appendUInt16(etherType)  // EtherType
    }
}
