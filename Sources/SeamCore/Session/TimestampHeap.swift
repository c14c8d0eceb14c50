/// A binary min-heap of items by (timestamp, sequence): the earliest first, equal times in arrival order.
struct TimestampHeap<Element> {
    private var entries: [(timestamp: Timestamp, sequence: UInt64, element: Element)] = []

    var isEmpty: Bool { entries.isEmpty }
    var count: Int { entries.count }
    var peekTimestamp: Timestamp? { entries.first?.timestamp }

    mutating func push(_ element: Element, timestamp: Timestamp, sequence: UInt64) {
        entries.append((timestamp, sequence, element))
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard less(child, parent) else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Element? {
        guard !entries.isEmpty else { return nil }
        entries.swapAt(0, entries.count - 1)
        let first = entries.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < entries.count && less(left, smallest) { smallest = left }
            if right < entries.count && less(right, smallest) { smallest = right }
            if smallest == parent { break }
            entries.swapAt(parent, smallest)
            parent = smallest
        }
        return first.element
    }

    private func less(_ a: Int, _ b: Int) -> Bool {
        (entries[a].timestamp, entries[a].sequence) < (entries[b].timestamp, entries[b].sequence)
    }
}
