import Testing

@testable import SeamCore

/// A seeded generator, so a failing random chunking reproduces from its seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// How a stream's bytes are cut into the chunks the framer is fed.
enum Chunking: Sendable, CustomStringConvertible {
    case whole
    case byteByByte
    case perMessage
    case random(seed: UInt64)

    static let all: [Chunking] = [.whole, .byteByByte, .perMessage] + (1...12).map { .random(seed: $0) }

    var description: String {
        switch self {
        case .whole: return "whole"
        case .byteByByte: return "byte by byte"
        case .perMessage: return "one message per chunk"
        case .random(let seed): return "random sizes (seed \(seed))"
        }
    }

    /// Chunk boundaries (ends) for a stream of `count` bytes whose messages end at `messageEnds`.
    func cuts(count: Int, messageEnds: [Int]) -> [Int] {
        switch self {
        case .whole: return [count]
        case .byteByByte: return Array(0...count)
        case .perMessage: return messageEnds + [count]
        case .random(let seed):
            var generator = SplitMix64(state: seed)
            var cuts: [Int] = []
            var position = 0
            while position < count {
                // about one chunk in five is empty
                let size = Int.random(in: 0...max(1, count / 6), using: &generator)
                position = min(count, position + (Int.random(in: 0..<5, using: &generator) == 0 ? 0 : size))
                cuts.append(position)
            }
            return cuts
        }
    }
}

/// Feeds `bytes` in chunks ending at `cuts` (ascending, may repeat for empty chunks), then finishes.
func frame(
    _ spec: FramingSpec,
    _ bytes: [UInt8],
    cuts: [Int],
    direction: Direction? = nil
) throws -> [FramedMessage] {
    var framer = MessageFramer(spec: spec, direction: direction)
    var messages: [FramedMessage] = []
    var start = 0
    for cut in (cuts + [bytes.count]).map({ min($0, bytes.count) }) where cut >= start {
        try framer.feed(bytes[start..<cut], at: UInt64(start), into: &messages)
        start = cut
    }
    try framer.finish(into: &messages)
    return messages
}

/// Feeds `bytes` whole and finishes.
func frame(_ spec: FramingSpec, _ bytes: [UInt8], direction: Direction? = nil) throws -> [FramedMessage] {
    try frame(spec, bytes, cuts: [bytes.count], direction: direction)
}

/// `value` as `count` big-endian bytes.
func bigEndianBytes(_ value: UInt64, _ count: Int) -> [UInt8] {
    (0..<count).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
}

/// `value` as `count` little-endian bytes.
func littleEndianBytes(_ value: UInt64, _ count: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
}

/// Ranges from consecutive message lengths starting at 0.
func ranges(_ lengths: [Int]) -> [Range<UInt64>] {
    var start: UInt64 = 0
    return lengths.map { length in
        defer { start += UInt64(length) }
        return start..<(start + UInt64(length))
    }
}

/// The UTF-8 bytes of `text`.
func ascii(_ text: String) -> [UInt8] { Array(text.utf8) }

/// `struct.pack('<i', n)` without Python: four bytes, little-endian two's complement.
func packInt32LE(_ value: Int32) -> [UInt8] {
    let bits = UInt32(bitPattern: value)
    return [UInt8(bits & 0xFF), UInt8(bits >> 8 & 0xFF), UInt8(bits >> 16 & 0xFF), UInt8(bits >> 24)]
}
