/// A checked, zero-copy view of an MPLS label stack (RFC 3032 §2.1, EtherType 0x8847 unicast, 0x8848
/// multicast) and what follows its bottom entry.
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// |                Label                  | TC  |S|       TTL     |   one entry; S set on the last
/// ```
///
/// MPLS does not say what it carries; like Wireshark, the first nibble after the stack does: 4 is IPv4, 6 is
/// IPv6 (`payloadIPVersion`). `init(checking:)` walks at most 16 entries, each captured.
public struct MPLSLabelStackView: Sendable {
    public static let unicastEtherType: UInt16 = 0x8847
    public static let multicastEtherType: UInt16 = 0x8848

    public let bytes: ArraySlice<UInt8>
    /// Number of label stack entries.
    public let depth: Int

    @inline(__always) public init(checking data: ArraySlice<UInt8>) throws(DecodeProblem) {
        var depth = 0
        while true {
            guard data.count >= 4 * (depth + 1) else {
                throw DecodeProblem(
                    layer: .link, reason: "MPLS label \(depth + 1) cut short, \(data.count) bytes captured")
            }
            depth += 1
            if data.wireUInt8(4 * depth - 2) & 1 != 0 { break }  // bottom of stack
            guard depth < 16 else { throw DecodeProblem(layer: .link, reason: "more than 16 MPLS labels") }
        }
        self.bytes = data
        self.depth = depth
    }

    /// The 20-bit label of entry `index` (0 is the top); `nil` past `depth`.
    public func label(at index: Int) -> UInt32? {
        guard index >= 0, index < depth else { return nil }
        return bytes.wireUInt32(4 * index) >> 12
    }
    /// The TTL of the bottom entry.
    public var timeToLive: UInt8 { bytes.wireUInt8(4 * depth - 1) }
    @inline(__always) public var payload: ArraySlice<UInt8> {
        bytes.wireSlice(from: 4 * depth, length: bytes.count - 4 * depth)
    }
    /// 4 or 6 when the payload starts like an IP header, else `nil` (a pseudowire, or nothing captured).
    public var payloadIPVersion: UInt8? {
        guard let first = payload.first else { return nil }
        let version = first >> 4
        return version == 4 || version == 6 ? version : nil
    }
}

/// One MPLS label stack entry to emit.
public struct MPLSLabel: Hashable, Sendable {
    /// 20 bits.
    public var label: UInt32
    public var trafficClass: UInt8
    public var timeToLive: UInt8

    public init(label: UInt32, trafficClass: UInt8 = 0, timeToLive: UInt8 = 64) {
        self.label = label
        self.trafficClass = trafficClass
        self.timeToLive = timeToLive
    }

    /// Appends the entry; `bottomOfStack` sets S.
    public func emit(into out: inout [UInt8], bottomOfStack: Bool) {
        out.appendUInt32(
            (label & 0xfffff) << 12  // label
                | UInt32(trafficClass & 0x7) << 9  // traffic class
                | (bottomOfStack ? 1 << 8 : 0)  // S
                | UInt32(timeToLive))  // TTL
    }
}
