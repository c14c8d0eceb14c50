#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reassembles one direction of a TCP connection onto its byte axis.
///
/// The axis starts at the first sequence number seen in the direction (the SYN's plus one when the SYN was
/// captured). Bytes are delivered in order, exactly once; the acceptance rules are those of Wireshark's
/// "Follow TCP Stream", so that what Seam reassembles is byte-for-byte what `tshark -z follow,tcp,raw` shows:
///
/// - Data before the next expected byte is a retransmission: only its new tail (if any) is delivered; the
///   bytes first received win (RFC 9293 §3.10). Re-sent bytes that differ from the first copy are marked
///   `conflict`.
/// - Data after the next expected byte is kept (copied) until the hole before it is filled.
/// - When the peer acknowledges past the start of kept data, the hole was lost by the capture, not the
///   network: it becomes a gap, and the kept data is delivered after it.
/// - Kept data is bounded by `maximumBufferedBytes`; past it, the hole is declared a gap at once.
///
/// Kept data outlives the flow's close (`releaseRecentBytes`): a later acknowledgment still releases it, as in
/// Follow TCP Stream. Data kept behind a hole that is never acknowledged is not delivered (`undeliveredBytes`)
/// and dropped by `finish()` when the flow ends.
struct TCPReassembler {
    /// Something the reassembler hands on, in axis order.
    enum Delivery {
        case data(ArraySlice<UInt8>, offset: UInt64, time: Timestamp)
        case gap(offset: UInt64, length: UInt64, time: Timestamp)
    }

    private struct Fragment {
        var offset: UInt64
        var bytes: [UInt8]
        /// Bytes the headers claimed; more than `bytes.count` when the snaplen cut the packet.
        var claimedLength: Int
        var time: Timestamp
        var end: UInt64 { offset + UInt64(claimedLength) }
    }

    let maximumBufferedBytes: Int
    private(set) var isStarted = false
    /// Sequence number of the next expected byte (`nextOffset` on the axis).
    private var nextSequence = TCPSequenceNumber(0)
    /// End of the contiguous bytes delivered so far (data and gaps).
    private(set) var nextOffset: UInt64 = 0
    /// The furthest end of any segment seen.
    private(set) var highestEnd: UInt64 = 0
    private var fragments: [Fragment] = []
    private(set) var bufferedBytes = 0
    private var recent = RecentBytes()

    private(set) var deliveredBytes: UInt64 = 0
    private(set) var gapCount = 0
    private(set) var gapBytes: UInt64 = 0

    init(maximumBufferedBytes: Int = 4 << 20) {
        self.maximumBufferedBytes = maximumBufferedBytes
    }

    /// Bytes kept behind a hole that no acknowledgment released (yet).
    var undeliveredBytes: Int { bufferedBytes }

    /// The offset of `sequence` on this axis (negative before the start); `nil` before the first packet.
    func offset(of sequence: UInt32) -> Int64? {
        guard isStarted else { return nil }
        return Int64(nextOffset) + nextSequence.distance(to: TCPSequenceNumber(sequence))
    }

    /// Takes one packet of this direction. `sequence` is the first payload byte's number (the SYN's plus one).
    /// Returns the packet's offset and what it was; `deliver` receives the data and gaps it released.
    mutating func receive(
        sequence: UInt32, payload: ArraySlice<UInt8>, claimedLength: Int, time: Timestamp,
        deliver: (Delivery) -> Void
    ) -> (offset: Int64, marks: TCPSegmentMarks) {
        if !isStarted {
            isStarted = true
            nextSequence = TCPSequenceNumber(sequence)
        }
        let offset = Int64(nextOffset) + nextSequence.distance(to: TCPSequenceNumber(sequence))
        var marks = TCPSegmentMarks()
        guard claimedLength > 0 else { return (offset, marks) }
        if payload.count < claimedLength { marks.insert(.payloadCut) }

        let end = offset + Int64(claimedLength)
        if end <= Int64(nextOffset) || offset < 0 && end <= 0 {
            // Nothing new: a retransmission of bytes already delivered (or from before the capture).
            marks.insert(.retransmission)
            if offset >= 0, !recent.matches(payload, at: UInt64(offset)) { marks.insert(.conflict) }
            return (offset, marks)
        }
        if offset < Int64(nextOffset) {
            // Starts inside delivered bytes and carries new ones: deliver only the tail.
            let skip = Int(Int64(nextOffset) - offset)
            marks.insert(.retransmission)
            if offset >= 0, !recent.matches(payload.prefix(skip), at: UInt64(offset)) { marks.insert(.conflict) }
            let tail = payload.dropFirst(skip)
            accept(tail, claimedLength: claimedLength - skip, time: time, deliver: deliver)
            drainFragments(time: time, deliver: deliver)
            highestEnd = max(highestEnd, UInt64(end))
            return (offset, marks)
        }
        let start = UInt64(offset)
        if start == nextOffset {
            if UInt64(end) < highestEnd { marks.insert(.outOfOrder) }
            if overlapsFragmentWithDifferentBytes(payload, at: start) { marks.insert(.conflict) }
            accept(payload, claimedLength: claimedLength, time: time, deliver: deliver)
            drainFragments(time: time, deliver: deliver)
        } else {
            // Ahead of a hole: keep a copy until the hole is filled or acknowledged away.
            if start < highestEnd { marks.insert(.outOfOrder) } else { marks.insert(.ahead) }
            if fragments.contains(where: { $0.offset <= start && $0.end >= UInt64(end) }) {
                marks.insert(.retransmission)
                if overlapsFragmentWithDifferentBytes(payload, at: start) { marks.insert(.conflict) }
            } else {
                fragments.append(
                    Fragment(offset: start, bytes: Array(payload), claimedLength: claimedLength, time: time))
                bufferedBytes += payload.count
                if bufferedBytes > maximumBufferedBytes { skipToFirstFragment(time: time, deliver: deliver) }
            }
        }
        highestEnd = max(highestEnd, UInt64(end))
        return (offset, marks)
    }

    /// The peer acknowledged up to `sequence`: a hole below it was lost by the capture, so declare it a gap
    /// and deliver what was kept after it.
    mutating func acknowledged(upTo sequence: UInt32, time: Timestamp, deliver: (Delivery) -> Void) {
        while !fragments.isEmpty {
            drainFragments(time: time, deliver: deliver)
            guard let lowest = fragments.min(by: { $0.offset < $1.offset }),
                let ackOffset = offset(of: sequence), ackOffset > Int64(lowest.offset)
            else { return }
            skipToFirstFragment(time: time, deliver: deliver)
        }
    }

    /// The sender took a new initial sequence number (a SYN-ACK unlike the packet that set the base): what was
    /// at sequence `s` on this axis is now at `s + delta`. Wireshark rebases the same way, so later segments land
    /// on the axis as Follow TCP Stream places them.
    mutating func rebase(by delta: UInt32) {
        nextSequence = nextSequence + delta
    }

    /// The flow closed: the copy of recent bytes (for conflict checks) goes; kept fragments stay until `finish`.
    mutating func releaseRecentBytes() {
        recent.release()
    }

    /// The flow ended: what stays behind a hole is dropped (still counted in `undeliveredBytes`).
    mutating func finish() {
        fragments = []
        recent.release()
    }

    // MARK: - Private

    private mutating func accept(
        _ bytes: ArraySlice<UInt8>, claimedLength: Int, time: Timestamp, deliver: (Delivery) -> Void
    ) {
        if !bytes.isEmpty {
            deliver(.data(bytes, offset: nextOffset, time: time))
            recent.append(bytes, at: nextOffset)
            deliveredBytes += UInt64(bytes.count)
        }
        let missing = claimedLength - bytes.count
        nextOffset += UInt64(bytes.count)
        if missing > 0 {
            deliver(.gap(offset: nextOffset, length: UInt64(missing), time: time))
            gapCount += 1
            gapBytes += UInt64(missing)
            nextOffset += UInt64(missing)
        }
        nextSequence = nextSequence + UInt32(truncatingIfNeeded: claimedLength)
    }

    /// Delivers every kept fragment that now starts at or before `nextOffset`.
    private mutating func drainFragments(time: Timestamp, deliver: (Delivery) -> Void) {
        var progressed = true
        while progressed && !fragments.isEmpty {
            progressed = false
            for index in fragments.indices where fragments[index].offset <= nextOffset {
                let fragment = fragments.remove(at: index)
                bufferedBytes -= fragment.bytes.count
                if fragment.end > nextOffset {
                    let skip = Int(nextOffset - fragment.offset)
                    let captured = fragment.bytes[...].dropFirst(min(skip, fragment.bytes.count))
                    accept(captured, claimedLength: fragment.claimedLength - skip, time: fragment.time, deliver: deliver)
                }
                progressed = true
                break
            }
        }
    }

    /// Declares the hole before the lowest kept fragment a gap and moves on to it.
    private mutating func skipToFirstFragment(time: Timestamp, deliver: (Delivery) -> Void) {
        guard let lowest = fragments.map(\.offset).min(), lowest > nextOffset else {
            drainFragments(time: time, deliver: deliver)
            return
        }
        let length = lowest - nextOffset
        deliver(.gap(offset: nextOffset, length: length, time: time))
        gapCount += 1
        gapBytes += length
        nextSequence = nextSequence + UInt32(truncatingIfNeeded: length)
        nextOffset = lowest
        drainFragments(time: time, deliver: deliver)
    }

    private func overlapsFragmentWithDifferentBytes(_ payload: ArraySlice<UInt8>, at start: UInt64) -> Bool {
        for fragment in fragments {
            let from = max(start, fragment.offset)
            let to = min(start + UInt64(payload.count), fragment.offset + UInt64(fragment.bytes.count))
            guard from < to else { continue }
            let a = payload.dropFirst(Int(from - start)).prefix(Int(to - from))
            let b = fragment.bytes[Int(from - fragment.offset)..<Int(to - fragment.offset)]
            let same = a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 }
            }
            if !same { return true }
        }
        return false
    }
}
