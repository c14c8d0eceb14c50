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
