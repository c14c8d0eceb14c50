#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The last few KiB a reassembler delivered, so a retransmission can be checked against the first copy.
/// Allocated on first use and released when the flow ends: flows without data cost nothing.
///
/// The ring holds axis offset `p` at index `p % ring.count`. It starts small and doubles up to `capacity`
/// as the axis grows, so a flow that carries a few hundred bytes does not zero 16 KiB: while the ring is
/// smaller than `capacity`, every offset written is below `ring.count`, so growing keeps each byte at its
/// index, and the answers are those of a ring of `capacity` bytes from the start.
///
/// Only bytes delivered contiguously are held: an append past the end (the reassembler declared a gap: bytes
/// never captured, or cut by the snaplen) starts the held range again there, so a late retransmission of a
/// gap's bytes is compared with nothing rather than with the ring's stale content.
struct RecentBytes {
    static let capacity = 16 * 1024
    static let initialCapacity = 512
    private var ring: [UInt8] = []
    /// Axis offset one past the last byte held.
    private var end: UInt64 = 0
    /// Axis offset of the first byte of the contiguous run that ends at `end`.
    private var start: UInt64 = 0

    mutating func append(_ bytes: ArraySlice<UInt8>, at offset: UInt64) {
        if offset != end { start = offset }
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
    /// Compares the held part with `memcmp`, in at most two runs (the ring may wrap).
    func matches(_ bytes: ArraySlice<UInt8>, at offset: UInt64) -> Bool {
        guard !ring.isEmpty, !bytes.isEmpty else { return true }
        let capacity = UInt64(RecentBytes.capacity)
        let size = UInt64(ring.count)
        let heldStart = max(start, end > capacity ? end - capacity : 0)
        let from = max(offset, heldStart)
        let to = min(offset + UInt64(bytes.count), end)
        guard from < to else { return true }
        return ring.withUnsafeBufferPointer { ring in
            bytes.withUnsafeBufferPointer { source in
                guard let held = ring.baseAddress, let given = source.baseAddress else { return true }
                var position = from
                while position < to {
                    let index = Int(position % size)
                    let count = Int(min(to - position, size - UInt64(index)))
                    if memcmp(held + index, given + Int(position - offset), count) != 0 { return false }
                    position += UInt64(count)
                }
                return true
            }
        }
    }

    /// Drops the ring; nothing delivered so far is held any more (later appends start a new run).
    mutating func release() {
        ring = []
        start = end
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
