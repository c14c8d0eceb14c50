/// A checked, zero-copy view of a Linux "cooked" capture header, `LINUX_SLL` (v1) or `LINUX_SLL2` (v2).
///
/// ```
/// SLL  (16): | packet type (2) | ARPHRD (2) | addr len (2) | address (8) | protocol (2) |
/// SLL2 (20): | protocol (2) | reserved (2) | ifindex (4) | ARPHRD (2) | packet type (1) | addr len (1) | address (8) |
/// ```
///
/// The protocol is an EtherType (0x0800, 0x86dd, …) or one of Linux's small values (1 Novell 802.3, 4 802.2 LLC).
public struct LinuxCookedView: Sendable {
    public let bytes: ArraySlice<UInt8>
    /// 1 for `LINUX_SLL`, 2 for `LINUX_SLL2`.
    public let version: Int

    public init(checking data: ArraySlice<UInt8>, version: Int) throws(DecodeProblem) {
        let needed = version == 2 ? 20 : 16
        guard data.count >= needed else {
            throw DecodeProblem(
                layer: .link,
                reason: "LINUX_SLL\(version == 2 ? "2" : "") header needs \(needed) bytes, "
                    + "\(data.count) captured")
        }
        self.bytes = data
        self.version = version == 2 ? 2 : 1
    }

    public var headerLength: Int { version == 2 ? 20 : 16 }
    /// The protocol field: an EtherType for IP.
    public var protocolType: UInt16 { version == 2 ? bytes.wireUInt16(0) : bytes.wireUInt16(14) }
    /// 0 to us, 1 broadcast, 2 multicast, 3 to another host, 4 sent by us.
    public var packetType: UInt16 { version == 2 ? UInt16(bytes.wireUInt8(10)) : bytes.wireUInt16(0) }
    /// The ARPHRD_ type of the interface (1 Ethernet, 772 loopback).
    public var hardwareType: UInt16 { version == 2 ? bytes.wireUInt16(8) : bytes.wireUInt16(2) }
    /// The interface index (SLL2 only; 0 for SLL).
    public var interfaceIndex: UInt32 { version == 2 ? bytes.wireUInt32(4) : 0 }
    public var addressLength: Int { version == 2 ? Int(bytes.wireUInt8(11)) : Int(bytes.wireUInt16(4)) }
    /// The link-layer address bytes that are valid (at most 8).
    public var address: ArraySlice<UInt8> {
        bytes.wireSlice(from: version == 2 ? 12 : 6, length: min(addressLength, 8))
    }
    @inline(__always) public var payload: ArraySlice<UInt8> { bytes.wireSlice(from: headerLength, length: bytes.count) }
}

/// A parsed Linux cooked header (either version).
public struct LinuxCookedHeader: Hashable, Sendable {
    public var version: Int
    public var packetType: UInt16
    public var hardwareType: UInt16
    public var interfaceIndex: UInt32
    public var address: [UInt8]
    public var protocolType: UInt16

    public init(
        version: Int, protocolType: UInt16, packetType: UInt16 = 0, hardwareType: UInt16 = 772,
        interfaceIndex: UInt32 = 1, address: [UInt8] = [0, 0, 0, 0, 0, 0]
    ) {
        self.version = version
        self.protocolType = protocolType
        self.packetType = packetType
        self.hardwareType = hardwareType
        self.interfaceIndex = interfaceIndex
        self.address = address
    }

    public init(_ view: LinuxCookedView) {
        self.init(
            version: view.version, protocolType: view.protocolType, packetType: view.packetType,
            hardwareType: view.hardwareType, interfaceIndex: view.interfaceIndex, address: Array(view.address))
    }

    public init(parsing bytes: ArraySlice<UInt8>, version: Int) throws(DecodeProblem) {
        self.init(try LinuxCookedView(checking: bytes, version: version))
    }

    public func emit(into out: inout [UInt8]) {
        let addressBytes = Array(address.prefix(8)) + Array(repeating: 0, count: 8 - min(address.count, 8))
        if version == 2 {
            out.appendUInt16(protocolType)  // protocol type
            out.appendUInt16(0)  // reserved (MBZ)
            out.appendUInt32(interfaceIndex)  // interface index
            out.appendUInt16(hardwareType)  // ARPHRD_ type
            out.append(UInt8(truncatingIfNeeded: packetType))  // packet type
            out.append(UInt8(min(address.count, 8)))  // link-layer address length
            out.append(contentsOf: addressBytes)  // link-layer address, padded to 8
        } else {
            out.appendUInt16(packetType)  // packet type
            out.appendUInt16(hardwareType)  // ARPHRD_ type
            out.appendUInt16(UInt16(min(address.count, 8)))  // link-layer address length
            out.append(contentsOf: addressBytes)  // link-layer address, padded to 8
            out.appendUInt16(protocolType)  // protocol type
        }
    }
}
