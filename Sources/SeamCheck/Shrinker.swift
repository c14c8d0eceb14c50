/// Shrinks a failing chunking to the fewest changes that still fail: delta debugging (Zeller's ddmin) over
/// its cuts and joins, then one change at a time. `fails` replays a candidate; each call is one replay, and
/// the shrinker stops trying when `deadline` (monotonic seconds) has passed, keeping the smallest so far.
public struct Shrinker {
    public var deadline: Double
    /// Replays tried.
    public private(set) var tries = 0

    public init(deadline: Double) {
        self.deadline = deadline
    }

    /// The smallest subset of `chunking`'s changes that `fails`, as a chunking with the same pause.
    public mutating func shrink(_ chunking: Chunking, fails: (Chunking) throws -> Bool) rethrows -> Chunking {
        var changes = chunking.changes
        func candidate(_ subset: [Chunking.Change]) -> Chunking {
            Chunking(subset, pauseMilliseconds: chunking.pauseMilliseconds, origin: .chosen)
        }
        var granularity = 2
        while changes.count >= 2 && now() < deadline {
            let size = max(1, changes.count / granularity)
            let pieces = stride(from: 0, to: changes.count, by: size).map {
                Array(changes[$0..<min($0 + size, changes.count)])
            }
            var reduced = false
            for piece in pieces where now() < deadline {  // one piece alone
                tries += 1
                if try fails(candidate(piece)) {
                    changes = piece
                    granularity = 2
                    reduced = true
                    break
                }
            }
            if !reduced, pieces.count > 2 {
                for index in pieces.indices where now() < deadline {  // all but one piece
                    let rest = pieces.enumerated().filter { $0.offset != index }.flatMap(\.element)
                    tries += 1
                    if try fails(candidate(rest)) {
                        changes = rest
                        granularity = max(granularity - 1, 2)
                        reduced = true
                        break
                    }
                }
            }
            if !reduced {
                if granularity >= changes.count { break }
                granularity = min(changes.count, granularity * 2)
            }
        }
        var index = 0
        while index < changes.count && changes.count > 1 && now() < deadline {  // one change at a time
            var without = changes
            without.remove(at: index)
            tries += 1
            if try fails(candidate(without)) { changes = without } else { index += 1 }
        }
        return candidate(changes)
    }
}
