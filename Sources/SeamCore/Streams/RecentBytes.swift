/// The last few KiB a reassembler delivered, so a retransmission can be checked against the first copy.
/// Allocated on first use and released when the flow ends: flows without data cost nothing.
///
/// The ring holds axis offset `p` at index `p % ring.count`. It starts small and doubles up to `capacity`
/// as the axis grows, so a flow that carries a few hundred bytes does not zero 16 KiB: while the ring is
/// smaller than `capacity`, every offset written is below `ring.count`, so growing keeps each byte at its
/// index, and the answers are those of a ring of `capacity` bytes from the start.
struct RecentBytes {
    static let capacity = 16 * 1024
    static let initialCapacity = 512
    private var ring: [UInt8] = []
    /// Axis offset one past the last byte held.
    private var end: UInt64 = 0

    mutating func append(_ bytes: ArraySlice<UInt8>, at offset: UInt64) {
        let newEnd = offset + UInt64(bytes.count)
        if ring.count < RecentBytes.capacity && UInt64(ring.count) < newEnd || ring.isEmpty { grow(toHold: newEnd) }
        let size = ring.count
        // Only the last `size` bytes can stay; they go in with at most two copies (the ring may wrap).
        let kept = bytes.suffix(size)
        var position = Int((offset + UInt64(bytes.count - kept.count)) % UInt64(size))
        ring.withUnsafeMutableBufferPointer { ring in
            kept.withUnsafeBufferPointer { source in
                guard let target = ring.baseAddress, let from = source.baseAddress else { return }
                var copied = 0
                while copied < source.count {
                    let count = min(source.count - copied, size - position)
                    (target + position).update(from: from + copied, count: count)
                    copied += count
                    position = 0
                }
            }
        }
        end = newEnd
    }

    /// Whether `bytes` at `offset` equal what was delivered there; `true` when those bytes are no longer held.
    func matches(_ bytes: ArraySlice<UInt8>, at offset: UInt64) -> Bool {
        guard !ring.isEmpty else { return true }
        let capacity = UInt64(RecentBytes.capacity)
        let size = UInt64(ring.count)
        let heldStart = end > capacity ? end - capacity : 0
        var position = offset
        for byte in bytes {
            if position >= heldStart && position < end && ring[Int(position % size)] != byte { return false }
            position += 1
        }
        return true
    }

    mutating func release() {
        ring = []
    }

    /// Makes the ring big enough for offsets below `end` (at most `capacity`), keeping every byte at its index.
    private mutating func grow(toHold end: UInt64) {
        var size = max(ring.count, RecentBytes.initialCapacity)
        while size < RecentBytes.capacity && UInt64(size) < end { size *= 2 }
        guard size > ring.count else { return }
        var grown = [UInt8](repeating: 0, count: size)
        grown.replaceSubrange(0..<ring.count, with: ring)
        ring = grown
    }
}
