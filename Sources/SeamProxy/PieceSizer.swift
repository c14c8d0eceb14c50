/// Cuts a write into piece sizes for `split:N` and `random:MIN-MAX`: fixed sizes, or sizes drawn from a
/// SplitMix64 generator seeded by `--seed`, so the same seed and the same writes give the same cuts.
///
/// ```swift
/// var sizer = PieceSizer(kind: .random(minimum: 1, maximum: 4), seed: 7)
/// sizer.pieces(of: 10)  // e.g. [3, 1, 4, 2]: sums to 10, each within 1...4 (the last may be shorter)
/// ```
public struct PieceSizer: Sendable {
    private let kind: RechunkRule.Kind
    private var state: UInt64

    public init(kind: RechunkRule.Kind, seed: UInt64) {
        self.kind = kind
        state = seed
    }

    /// The next number of the SplitMix64 sequence.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The sizes of the pieces a write of `length` bytes is cut into (one piece when it is not cut).
    public mutating func pieces(of length: Int) -> [Int] {
        guard length > 0 else { return [] }
        var sizes: [Int] = []
        var left = length
        while left > 0 {
            let size: Int
            switch kind {
            case .split(let fixed): size = fixed
            case .random(let minimum, let maximum):
                size = minimum + Int(next() % UInt64(maximum - minimum + 1))
            case .coalesce: size = left
            }
            sizes.append(min(size, left))
            left -= sizes.last!
        }
        return sizes
    }
}
