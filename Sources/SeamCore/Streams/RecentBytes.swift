/// The last few KiB a reassembler delivered, so a retransmission can be checked against the first copy.
/// Allocated on first use and released when the flow ends: flows without data cost nothing.
struct RecentBytes {
    static let capacity = 16 * 1024
    private var ring: [UInt8] = []
    /// Axis offset one past the last byte held.
    private var end: UInt64 = 0

    mutating func append(_ bytes: ArraySlice<UInt8>, at offset: UInt64) {
        let capacity = RecentBytes.capacity
        if ring.isEmpty { ring = Array(repeating: 0, count: capacity) }
        // Only the last `capacity` bytes can stay; they go in with at most two copies (the ring may wrap).
        let kept = bytes.suffix(capacity)
        var position = Int((offset + UInt64(bytes.count - kept.count)) % UInt64(capacity))
        ring.withUnsafeMutableBufferPointer { ring in
            kept.withUnsafeBufferPointer { source in
                guard let target = ring.baseAddress, let from = source.baseAddress else { return }
                var copied = 0
                while copied < source.count {
                    let count = min(source.count - copied, capacity - position)
                    (target + position).update(from: from + copied, count: count)
                    copied += count
                    position = 0
                }
            }
        }
        end = offset + UInt64(bytes.count)
    }

    /// Whether `bytes` at `offset` equal what was delivered there; `true` when those bytes are no longer held.
    func matches(_ bytes: ArraySlice<UInt8>, at offset: UInt64) -> Bool {
        guard !ring.isEmpty else { return true }
        let capacity = UInt64(RecentBytes.capacity)
        let heldStart = end > capacity ? end - capacity : 0
        var position = offset
        for byte in bytes {
            if position >= heldStart && position < end && ring[Int(position % capacity)] != byte { return false }
            position += 1
        }
        return true
    }

    mutating func release() {
        ring = []
    }
}
