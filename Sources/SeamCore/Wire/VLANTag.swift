/// One 802.1Q tag: the tag protocol identifier (0x8100, 0x88a8 or 0x9100) and the tag control information.
public struct VLANTag: Hashable, Sendable {
    public var tagProtocol: UInt16
    public var controlInformation: UInt16
    public init(tagProtocol: UInt16 = Wire.EtherType.vlan, controlInformation: UInt16) {
        self.tagProtocol = tagProtocol
        self.controlInformation = controlInformation
    }

    /// The 12-bit VLAN identifier.
    public var vlanID: UInt16 { controlInformation & 0x0fff }
}
