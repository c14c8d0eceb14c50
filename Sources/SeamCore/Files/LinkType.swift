/// A capture file's link-layer header type (the `LINKTYPE_*` registry of tcpdump.org, as stored in pcap
/// file headers and pcapng interface description blocks).
public struct LinkType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// BSD loopback: 4-byte address family in the capturing host's byte order.
    public static let null = LinkType(rawValue: 0)
    /// Ethernet II / 802.3, with optional 802.1Q and QinQ tags.
    public static let ethernet = LinkType(rawValue: 1)
    /// `DLT_RAW` as some BSDs numbered it in files (raw IPv4 or IPv6).
    public static let rawBSD = LinkType(rawValue: 12)
    /// `DLT_RAW` of OpenBSD (14), also raw IP.
    public static let rawOpenBSD = LinkType(rawValue: 14)
    /// Raw IPv4 or IPv6, version from the first nibble.
    public static let raw = LinkType(rawValue: 101)
    /// OpenBSD loopback: like `null` but the family is always big-endian.
    public static let loop = LinkType(rawValue: 108)
    /// Linux "cooked" capture, version 1 (16-byte header).
    public static let linuxSLL = LinkType(rawValue: 113)
    /// Wireshark's exported PDUs: Seam's proxy calls live on an interface of this type.
    public static let wiresharkUpperPDU = LinkType(rawValue: 252)
    /// Raw IPv4 only.
    public static let ipv4 = LinkType(rawValue: 228)
    /// Raw IPv6 only.
    public static let ipv6 = LinkType(rawValue: 229)
    /// Linux "cooked" capture, version 2 (20-byte header).
    public static let linuxSLL2 = LinkType(rawValue: 276)

    /// tcpdump's name for the type (`EN10MB`, `LINUX_SLL2`, …), or `LINKTYPE_<n>`.
    public var name: String {
        switch rawValue {
        case 0: return "NULL"
        case 1: return "EN10MB"
        case 12, 14, 101: return "RAW"
        case 108: return "LOOP"
        case 113: return "LINUX_SLL"
        case 228: return "IPV4"
        case 229: return "IPV6"
        case 252: return "WIRESHARK_UPPER_PDU"
        case 276: return "LINUX_SLL2"
        default: return "LINKTYPE_\(rawValue)"
        }
    }

    public var description: String { name }
}
