/// A 48-bit IEEE MAC address held inline.
public struct MACAddress: Hashable, Sendable, CustomStringConvertible {
    /// The six bytes as the low 48 bits, first byte most significant.
    public var rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue & 0xffff_ffff_ffff }

    public static let zero = MACAddress(rawValue: 0)

    /// `aa:bb:cc:dd:ee:ff`.
    public var description: String {
        (0..<6).map { index -> String in
            let byte = UInt8(truncatingIfNeeded: rawValue >> (40 - 8 * UInt64(index)))
            return byte < 16 ? "0" + String(byte, radix: 16) : String(byte, radix: 16)
        }.joined(separator: ":")
    }

    func emit(into out: inout [UInt8]) {
        for index in 0..<6 { out.append(UInt8(truncatingIfNeeded: rawValue >> (40 - 8 * UInt64(index)))) }
    }
}
