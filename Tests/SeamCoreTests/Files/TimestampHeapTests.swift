import Testing

@testable import SeamCore

@Suite struct TimestampHeapTests {
    @Test func popsInTimeThenArrivalOrder() {
        var heap = TimestampHeap<String>()
        let items: [(Int64, String)] = [(30, "c"), (10, "a"), (20, "b1"), (20, "b2"), (5, "z"), (40, "d")]
        for (sequence, (time, name)) in items.enumerated() {
            heap.push(name, timestamp: Timestamp(nanoseconds: time), sequence: UInt64(sequence))
        }
        #expect(heap.count == 6 && heap.peekTimestamp == Timestamp(nanoseconds: 5))
        var popped: [String] = []
        while let name = heap.pop() { popped.append(name) }
        #expect(popped == ["z", "a", "b1", "b2", "c", "d"])
        #expect(heap.isEmpty && heap.pop() == nil)
    }

    @Test("pushes between pops reuse the freed slots; each pop is the earliest held")
    func interleaved() {
        var heap = TimestampHeap<Int64>()
        var held: [(time: Int64, sequence: UInt64)] = []
        var sequence: UInt64 = 0
        var generator = SystemRandomNumberGenerator()
        for round in 0..<3000 {
            for _ in 0..<Int.random(in: 0...3, using: &generator) {
                let time = Int64(round) + Int64.random(in: 0...50, using: &generator)
                heap.push(time, timestamp: Timestamp(nanoseconds: time), sequence: sequence)
                held.append((time, sequence))
                sequence += 1
            }
            if round % 2 == 0, !held.isEmpty {
                let earliest = held.indices.min { (held[$0].time, held[$0].sequence) < (held[$1].time, held[$1].sequence) }!
                #expect(heap.pop() == held[earliest].time)
                held.remove(at: earliest)
            }
            #expect(heap.count == held.count)
        }
    }
}
