/// Decoding of captured packets: link layers, IPv4, IPv6, TCP and UDP.
///
/// ## The contract of every file in `Wire/`
///
/// Each protocol has one file with two types, in the shape of smoltcp's `wire` module:
///
/// - a **view** (`EthernetFrameView`, `IPv4PacketView`, `IPv6PacketView`, `TCPSegmentView`, `UDPDatagramView`,
///   `LinuxCookedView`, `LoopbackFrameView`) over an `ArraySlice<UInt8>`. Its checking initializer
///   `init(checking:…) throws(DecodeProblem)` validates every length the header states, once, against what
///   was captured. After it succeeded **no accessor can trap**: every accessor reads inside the ranges the
///   initializer checked, and slices it returns (`payload`, `options`) are sub-slices of the input, never
///   copies.
/// - a **value** (`EthernetHeader`, `IPv4Header`, `IPv6Header`, `TCPHeader`, `UDPHeader`, …) with
///   `init(parsing:) throws(DecodeProblem)` (through the view) and `emit(into: inout [UInt8])`, which appends
///   the header in network byte order. `emit` is what `PacketBuilder` uses to build test frames.
///
/// Errors are `DecodeProblem`s: the layer, what was wrong, and (once the IP header was readable) the endpoints.
///
/// Lengths follow the outer header: the IP total length (IPv4) or payload length (IPv6) trims link-layer
/// padding; a packet the snaplen cut is decoded as far as it goes (`DecodedPacket.payload` is what was
/// captured, `payloadLength` what the headers claim). `PacketDecoder` is the single entry point.
public enum Wire {
    /// IP protocol numbers Seam decodes (IANA "Assigned Internet Protocol Numbers").
    public enum IPProtocol {
        public static let hopByHop: UInt8 = 0
        public static let icmp: UInt8 = 1
        /// IPv4 in IP (RFC 2003).
        public static let ipInIP: UInt8 = 4
        public static let tcp: UInt8 = 6
        public static let udp: UInt8 = 17
        /// IPv6 in IP (RFC 4213, 6in4).
        public static let ipv6InIP: UInt8 = 41
        public static let ipv6Routing: UInt8 = 43
        public static let ipv6Fragment: UInt8 = 44
        public static let icmpv6: UInt8 = 58
        public static let ipv6NoNextHeader: UInt8 = 59
        public static let ipv6DestinationOptions: UInt8 = 60
    }

    /// EtherTypes Seam knows (IEEE 802 numbers).
    public enum EtherType {
        public static let ipv4: UInt16 = 0x0800
        public static let arp: UInt16 = 0x0806
        public static let vlan: UInt16 = 0x8100
        public static let ipv6: UInt16 = 0x86dd
        public static let qinq: UInt16 = 0x88a8
        public static let qinqLegacy: UInt16 = 0x9100
    }
}

extension ArraySlice where Element == UInt8 {
    /// Big-endian 16 bits at `offset` from the slice's start. Callers have checked the length.
    @inline(__always) func wireUInt16(_ offset: Int) -> UInt16 {
        let i = startIndex + offset
        return UInt16(self[i]) << 8 | UInt16(self[i + 1])
    }

    /// Big-endian 32 bits at `offset` from the slice's start. Callers have checked the length.
    @inline(__always) func wireUInt32(_ offset: Int) -> UInt32 {
        let i = startIndex + offset
        return UInt32(self[i]) << 24 | UInt32(self[i + 1]) << 16 | UInt32(self[i + 2]) << 8 | UInt32(self[i + 3])
    }

    /// The byte at `offset` from the slice's start. Callers have checked the length.
    @inline(__always) func wireUInt8(_ offset: Int) -> UInt8 { self[startIndex + offset] }

    /// The sub-slice `[from, from+length)` relative to the start, clamped to what exists.
    @inline(__always) func wireSlice(from: Int, length: Int) -> ArraySlice<UInt8> {
        let lower = Swift.min(startIndex + from, endIndex)
        let upper = Swift.min(lower + Swift.max(length, 0), endIndex)
        return self[lower..<upper]
    }
}

extension Array where Element == UInt8 {
    /// Appends `value` big-endian.
    mutating func appendUInt16(_ value: UInt16) {
        append(UInt8(value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }

    /// Appends `value` big-endian.
    mutating func appendUInt32(_ value: UInt32) {
        append(UInt8(value >> 24))
        append(UInt8(truncatingIfNeeded: value >> 16))
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }

    /// Overwrites two bytes at `index` with `value` big-endian.
    mutating func setUInt16(_ value: UInt16, at index: Int) {
        self[index] = UInt8(value >> 8)
        self[index + 1] = UInt8(truncatingIfNeeded: value)
    }
}
