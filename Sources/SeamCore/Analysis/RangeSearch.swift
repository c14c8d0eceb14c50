/// Binary searches over ranges sorted by lower bound and not overlapping.
enum RangeSearch {
    /// Index of the range that holds `point` strictly inside (lower < point < upper), if any.
    static func index(strictlyContaining point: UInt64, in ranges: [LayerRange]) -> Int? {
        guard let index = lastIndex(startingBefore: point, in: ranges) else { return nil }
        return ranges[index].range.upperBound > point ? index : nil
    }

    /// Indexes of the non-empty ranges that overlap `range`.
    static func indexes(overlapping range: Range<UInt64>, in ranges: [LayerRange]) -> [Int] {
        let start = lastIndex(startingBefore: range.lowerBound + 1, in: ranges) ?? 0
        var result: [Int] = []
        var index = start
        while index < ranges.count, ranges[index].range.lowerBound < range.upperBound {
            let r = ranges[index].range
            if !r.isEmpty && r.upperBound > range.lowerBound { result.append(index) }
            index += 1
        }
        return result
    }

    /// The indexes of the ranges that overlap `range`, as one contiguous index range (the ranges are sorted and
    /// do not overlap, so those that meet `range` are neighbours); empty when none does.
    static func indexRange(overlapping range: Range<UInt64>, in ranges: [LayerRange]) -> Range<Int> {
        var start = lastIndex(startingBefore: range.lowerBound + 1, in: ranges) ?? 0
        while start < ranges.count, ranges[start].range.upperBound <= range.lowerBound { start += 1 }
        var end = start
        while end < ranges.count, ranges[end].range.lowerBound < range.upperBound { end += 1 }
        return start..<max(start, end)
    }

    /// The index of the range that holds byte `offset`, if any.
    static func index(holding offset: UInt64, in ranges: [LayerRange]) -> Int? {
        guard let index = lastIndex(startingBefore: offset + 1, in: ranges) else { return nil }
        return ranges[index].range.contains(offset) ? index : nil
    }

    /// The last index whose range starts before `point`.
    private static func lastIndex(startingBefore point: UInt64, in ranges: [LayerRange]) -> Int? {
        var low = 0
        var high = ranges.count
        while low < high {
            let mid = (low + high) / 2
            if ranges[mid].range.lowerBound < point { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? nil : low - 1
    }
}
