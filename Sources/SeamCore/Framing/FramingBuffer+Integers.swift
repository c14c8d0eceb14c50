extension FramingBuffer {
    /// The big-endian integer of `count` bytes (1…8) at `index` (relative to the reader); `nil` when short.
    func bigEndian(at index: Int, count: Int) -> UInt64? {
        guard index >= 0, count >= 1, count <= 8, readableBytes - index >= count else { return nil }
        var value: UInt64 = 0
        for position in index..<(index + count) { value = value << 8 | UInt64(byte(at: position) ?? 0) }
        return value
    }

    /// The little-endian integer of `count` bytes (1…8) at `index`; `nil` when short.
    func littleEndian(at index: Int, count: Int) -> UInt64? {
        guard index >= 0, count >= 1, count <= 8, readableBytes - index >= count else { return nil }
        var value: UInt64 = 0
        for position in (index..<(index + count)).reversed() { value = value << 8 | UInt64(byte(at: position) ?? 0) }
        return value
    }

    /// Whether the readable bytes start with `prefix`, as far as they go: `true` when every byte present matches
    /// (so a partial prefix is still a candidate), `false` at the first difference.
    func mayStart(with prefix: [UInt8]) -> Bool {
        for (index, expected) in prefix.enumerated() {
            guard let byte = byte(at: index) else { return true }
            if byte != expected { return false }
        }
        return true
    }

    /// Whether at least `prefix.count` bytes are readable and they are `prefix`.
    func starts(with prefix: [UInt8]) -> Bool {
        readableBytes >= prefix.count && mayStart(with: prefix)
    }
}
