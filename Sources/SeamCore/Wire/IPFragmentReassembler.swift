/// Reassembles IPv4 and IPv6 fragments, keyed by source, destination, protocol and identification.
///
/// Overlapping bytes keep the first fragment that delivered them (duplicates are harmless). Memory is bounded by
/// `FragmentReassemblyLimits`; time is capture time, so reading a file gives the same result at any speed.
struct IPFragmentReassembler: Sendable {
    struct Key: Hashable, Sendable {
        var source: IPAddress
        var destination: IPAddress
        var protocolNumber: UInt8
        var identification: UInt32
    }

    struct Piece: Sendable {
        var offset: Int
        var bytes: [UInt8]
    }

    struct Pending: Sendable {
        var firstSeen: Timestamp
        var pieces: [Piece] = []
        var storedBytes = 0
        /// The highest end of any piece: a last fragment that ends before it contradicts the others.
        var highestEnd = 0
        var totalLength: Int?
    }

    enum Result {
        case held
        case complete([UInt8])
        case rejected(String)
    }

    var limits: FragmentReassemblyLimits
    var statistics = FragmentStatistics()
    private var pending: [Key: Pending] = [:]

    init(limits: FragmentReassemblyLimits) { self.limits = limits }

    var datagramsInProgress: Int { pending.count }

    /// Adds one fragment: `data` starts at byte `offset` of the datagram's fragmentable part.
    mutating func add(
        _ data: ArraySlice<UInt8>, offset: Int, moreFragments: Bool, key: Key, at time: Timestamp
    ) -> Result {
        expire(before: time)
        let end = offset + data.count
        if moreFragments && data.count % 8 != 0 {
            return reject(key, "fragment of \(data.count) bytes with more to come is not a multiple of 8")
        }
        if end > limits.maximumDatagramSize {
            return reject(key, "fragment ends at \(end), beyond the \(limits.maximumDatagramSize)-byte bound")
        }
        var entry = pending[key] ?? Pending(firstSeen: time)
        if pending[key] == nil && pending.count >= limits.maximumDatagramsInProgress { evictOldest() }
        if !moreFragments {
            if let total = entry.totalLength, total != end {
                return reject(key, "last fragments disagree on the length (\(total) and \(end))")
            }
            entry.totalLength = end
        }
        if let total = entry.totalLength, max(end, entry.highestEnd) > total {
            return reject(
                key, "fragment ends at \(max(end, entry.highestEnd)), after the last fragment's end \(total)")
        }
        entry.highestEnd = max(entry.highestEnd, end)
        entry.storedBytes += data.count
        if entry.storedBytes > 2 * limits.maximumDatagramSize {
            return reject(key, "more than \(2 * limits.maximumDatagramSize) bytes of fragments")
        }
        entry.pieces.append(Piece(offset: offset, bytes: Array(data)))
        guard let total = entry.totalLength, Self.covers(entry.pieces, total) else {
            pending[key] = entry
            return .held
        }
        pending[key] = nil
        var datagram = [UInt8](repeating: 0, count: total)
        for piece in entry.pieces.reversed() {  // first arrival written last: it wins overlaps
            datagram.replaceSubrange(piece.offset..<(piece.offset + piece.bytes.count), with: piece.bytes)
        }
        statistics.reassembled += 1
        return .complete(datagram)
    }

    private static func covers(_ pieces: [Piece], _ total: Int) -> Bool {
        var reached = 0
        for piece in pieces.sorted(by: { $0.offset < $1.offset }) {
            if piece.offset > reached { return false }
            reached = max(reached, piece.offset + piece.bytes.count)
        }
        return reached >= total
    }

    private mutating func reject(_ key: Key, _ reason: String) -> Result {
        pending[key] = nil
        statistics.rejected += 1
        return .rejected(reason)
    }

    private mutating func expire(before time: Timestamp) {
        guard !pending.isEmpty else { return }
        let limit = time.nanoseconds - limits.timeoutNanoseconds
        let expired = pending.filter { $0.value.firstSeen.nanoseconds < limit }.map(\.key)
        for key in expired { pending[key] = nil }
        statistics.timedOut += expired.count
    }

    private mutating func evictOldest() {
        guard let oldest = pending.min(by: { $0.value.firstSeen < $1.value.firstSeen })?.key else { return }
        pending[oldest] = nil
        statistics.evicted += 1
    }
}
