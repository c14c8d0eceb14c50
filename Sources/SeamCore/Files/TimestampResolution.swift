/// The unit of a capture file's timestamps, as pcapng's `if_tsresol` encodes it: the high bit clear means
/// 10^-n seconds, set means 2^-n seconds (n in the low 7 bits).
public struct TimestampResolution: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The `if_tsresol` byte.
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// 10^-6 s, pcapng's default and classic pcap's `a1b2c3d4`.
    public static let microseconds = TimestampResolution(rawValue: 6)
    /// 10^-9 s, what Seam writes and pcap's `a1b23c4d`.
    public static let nanoseconds = TimestampResolution(rawValue: 9)

    /// Whether the unit is a power of two (high bit set) rather than of ten.
    public var isPowerOfTwo: Bool { rawValue & 0x80 != 0 }
    /// The exponent n of 10^-n or 2^-n.
    public var exponent: Int { Int(rawValue & 0x7f) }

    /// `10^-6`, `2^-20`.
    public var description: String { isPowerOfTwo ? "2^-\(exponent)" : "10^-\(exponent)" }

    /// Converts a count of units to nanoseconds. Never traps: values beyond Int64 wrap, as a file
    /// with such timestamps is nonsense anyway.
    public func nanoseconds(fromUnits units: UInt64) -> Int64 {
        let n = exponent
        if isPowerOfTwo {
            // units * 1e9 / 2^n in 128-bit arithmetic.
            let product = units.multipliedFullWidth(by: 1_000_000_000)
            let shifted: UInt64
            if n == 0 {
                shifted = product.low
            } else if n < 64 {
                shifted = product.low >> UInt64(n) | product.high << UInt64(64 - n)
            } else {
                shifted = n < 128 ? product.high >> UInt64(n - 64) : 0
            }
            return Int64(bitPattern: shifted)
        }
        if n <= 9 {
            return Int64(bitPattern: units &* TimestampResolution.powerOfTen(9 - n))
        }
        let divisorExponent = n - 9
        guard divisorExponent <= 19 else { return 0 }
        return Int64(bitPattern: units / TimestampResolution.powerOfTen(divisorExponent))
    }

    /// 10^e for e in 0...19 (UInt64 holds 10^19).
    static func powerOfTen(_ exponent: Int) -> UInt64 {
        var value: UInt64 = 1
        for _ in 0..<exponent { value &*= 10 }
        return value
    }
}
