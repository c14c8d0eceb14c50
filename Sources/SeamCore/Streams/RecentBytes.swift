#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The last few KiB a reassembler delivered, so a retransmission can be checked against the first copy.
/// Allocated on first use and released when the flow ends: flows without data cost nothing.
///
/// Only bytes delivered contiguously are held: an append past the end (the reassembler declared a gap: bytes
/// never captured, or cut by the snaplen) starts the held run again there, so a late retransmission of a gap's
/// bytes is compared with nothing rather than with the ring's stale content.
///
/// The ring holds axis offset `p` at index `p % ring.count`, so the last `ring.count` bytes of the run are
/// held. It starts small and doubles up to `capacity` as the run grows (a flow that carries a few hundred
/// bytes does not zero 16 KiB); growing puts each held byte at its index in the larger ring.
struct RecentBytes {
    static let capacity = 16 * 1024
    static let initialCapacity = 512
    private var ring: [UInt8] = []
    /// Axis offset one past the last byte held.
    private var end: UInt64 = 0
    /// Axis offset where the contiguous run ending at `end` began.
    private var start: UInt64 = 0

    /// The first offset still held: the run's start, or `ring.count` bytes before the end.
    private var heldStart: UInt64 {
        let size = UInt64(ring.count)
        return end - start > size ? end - size : start
    }

    mutating func append(_ bytes: ArraySlice<UInt8>, at offset: UInt64) {
        guard !bytes.isEmpty else { return }
        if offset != end {
            start = offset
            end = offset
        }
        let newEnd = offset + UInt64(bytes.count)
        let wanted = Int(min(newEnd - start, UInt64(RecentBytes.capacity)))
        if ring.count < wanted { grow(toHold: wanted) }
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

    /// Whether `bytes` at `offset` equal what was delivered there; `true` when those bytes are not held.
    /// Compares the held part with `memcmp`, in at most two runs (the ring may wrap).
    func matches(_ bytes: ArraySlice<UInt8>, at offset: UInt64) -> Bool {
        guard !ring.isEmpty, !bytes.isEmpty else { return true }
        let size = UInt64(ring.count)
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

    /// Makes the ring at least `wanted` bytes (a power of two from `initialCapacity`, at most `capacity`),
    /// moving every held byte to its index in the new ring.
    private mutating func grow(toHold wanted: Int) {
        var size = max(ring.count, RecentBytes.initialCapacity)
        while size < wanted && size < RecentBytes.capacity { size *= 2 }
        guard size > ring.count else { return }
        var grown = [UInt8](repeating: 0, count: size)
        if !ring.isEmpty {
            let oldSize = UInt64(ring.count)
            let newSize = UInt64(size)
            var position = heldStart
            ring.withUnsafeBufferPointer { old in
                grown.withUnsafeMutableBufferPointer { new in
                    while position < end {
                        let from = Int(position % oldSize)
                        let to = Int(position % newSize)
                        let count = Int(min(end - position, min(oldSize - UInt64(from), newSize - UInt64(to))))
                        (new.baseAddress! + to).update(from: old.baseAddress! + from, count: count)
                        position += UInt64(count)
                    }
                }
            }
            start = heldStart
        }
        ring = grown
    }
}
