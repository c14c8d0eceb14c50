/// A binary min-heap of items by (timestamp, sequence): the earliest first, equal times in arrival order.
///
/// The heap orders small fixed-size keys (time, sequence, slot); the elements wait in `slots` and never move
/// while the heap is sifted, so a push or pop costs O(log n) swaps of three integers, not of the elements
/// (the session writer's items hold arrays and strings: moving those through every swap was most of its time).
struct TimestampHeap<Element> {
    private var entries: [(timestamp: Timestamp, sequence: UInt64, slot: Int)] = []
    private var slots: [Element?] = []
    private var freeSlots: [Int] = []

    var isEmpty: Bool { entries.isEmpty }
    var count: Int { entries.count }
    var peekTimestamp: Timestamp? { entries.first?.timestamp }

    mutating func push(_ element: Element, timestamp: Timestamp, sequence: UInt64) {
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
            slots[slot] = element
        } else {
            slot = slots.count
            slots.append(element)
        }
        entries.append((timestamp, sequence, slot))
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
        let element = slots[first.slot].take()
        if entries.isEmpty {
            slots.removeAll(keepingCapacity: true)
            freeSlots.removeAll(keepingCapacity: true)
        } else {
            freeSlots.append(first.slot)
        }
        return element
    }

    private func less(_ a: Int, _ b: Int) -> Bool {
        (entries[a].timestamp, entries[a].sequence) < (entries[b].timestamp, entries[b].sequence)
    }
}
