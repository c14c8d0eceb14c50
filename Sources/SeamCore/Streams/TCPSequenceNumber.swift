/// A 32-bit TCP sequence number with the wrapping comparison of RFC 9293 §3.4 (RFC 1982 serial numbers).
///
/// Two sequence numbers compare by the signed 32-bit difference between them, so the comparison stays
/// right across the wrap from 2³²−1 to 0:
///
/// ```swift
/// let before = TCPSequenceNumber(0xFFFF_FFF0)
/// let after = before + 0x20          // wraps to 0x10
/// after.rawValue                     // 0x10
/// before < after                     // true
/// before.distance(to: after)         // 32
/// ```
public struct TCPSequenceNumber: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32

    public init(_ rawValue: UInt32) { self.rawValue = rawValue }

    /// Bytes from `self` to `other`: positive when `other` is later, negative when earlier.
    public func distance(to other: TCPSequenceNumber) -> Int64 {
        Int64(Int32(bitPattern: other.rawValue &- rawValue))
    }

    public static func < (lhs: TCPSequenceNumber, rhs: TCPSequenceNumber) -> Bool {
        lhs.distance(to: rhs) > 0
    }

    public static func + (lhs: TCPSequenceNumber, rhs: UInt32) -> TCPSequenceNumber {
        TCPSequenceNumber(lhs.rawValue &+ rhs)
    }

    public var description: String { String(rawValue) }
}
