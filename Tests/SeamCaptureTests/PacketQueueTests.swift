import Foundation
import SeamCore
import Testing

@testable import SeamCapture

@Suite("PacketQueue")
struct PacketQueueTests {
    private func packets(_ count: Int, size: Int = 10) -> [CapturedPacket] {
        (0..<count).map {
            CapturedPacket(
                timestamp: Timestamp(nanoseconds: Int64($0)),
                originalLength: size,
                data: [UInt8](repeating: UInt8($0 & 0xff), count: size)
            )
        }
    }

    @Test("batches come out in order, everything pending at once, then nil after finish")
    func order() {
        let queue = PacketQueue(capacity: 100, byteCapacity: 1 << 20)
        queue.push(packets(3))
        queue.push([])
        queue.push(packets(2))
        #expect(queue.popAll()?.map(\.timestamp.nanoseconds) == [0, 1, 2, 0, 1])
        queue.push(packets(1))
        queue.finish()
        #expect(queue.popAll()?.count == 1, "what was pending is still delivered after finish")
        #expect(queue.popAll() == nil)
        queue.push(packets(1))
        #expect(queue.popAll() == nil, "a finished queue takes nothing")
    }

    @Test(
        "a full queue makes the producer wait until the consumer takes the packets",
        arguments: [
            (capacity: 2, byteCapacity: 1 << 20), (capacity: 100, byteCapacity: 20),
        ]
    )
    func backpressure(limits: (capacity: Int, byteCapacity: Int)) {
        let queue = PacketQueue(capacity: limits.capacity, byteCapacity: limits.byteCapacity)
        queue.push(packets(2))
        let pushed = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            queue.push(self.packets(1))
            pushed.signal()
        }
        #expect(pushed.wait(timeout: .now() + 0.1) == .timedOut, "the third packet waits while the queue is full")
        #expect(queue.popAll()?.count == 2)
        #expect(pushed.wait(timeout: .now() + 2) == .success, "taking the packets lets the producer go on")
        #expect(queue.popAll()?.count == 1)
    }

    @Test("an empty queue takes a batch bigger than its capacity")
    func oversizedBatch() {
        let queue = PacketQueue(capacity: 2, byteCapacity: 5)
        queue.push(packets(4))
        #expect(queue.popAll()?.count == 4)
    }

    @Test("libpcap times: nanoseconds as they are, microseconds times 1000")
    func timestamps() {
        #expect(
            LiveCapture.timestamp(seconds: 10, fraction: 123_456_789, nanoseconds: true)
                == Timestamp(nanoseconds: 10_123_456_789)
        )
        #expect(
            LiveCapture.timestamp(seconds: 10, fraction: 123_456, nanoseconds: false)
                == Timestamp(nanoseconds: 10_123_456_000)
        )
    }
}
