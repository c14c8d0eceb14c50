/// The bounded hand-over from the capture thread to the delivery thread: batches of packets in, everything
/// pending out. When it holds `capacity` packets or `byteCapacity` bytes, `push` waits, so a slow consumer
/// leaves the backlog in the kernel's capture buffer, where drops are counted (`ps_drop`), instead of in memory.
final class PacketQueue: @unchecked Sendable {
    private let lock = Monitor()
    private var pending: [CapturedPacket] = []
    private var pendingBytes = 0
    private var closed = false
    let capacity: Int
    let byteCapacity: Int
    /// Called (on the pushing thread, outside the lock) when a push has to wait for the consumer.
    private let onFull: (@Sendable () -> Void)?

    init(capacity: Int, byteCapacity: Int, onFull: (@Sendable () -> Void)? = nil) {
        precondition(capacity > 0 && byteCapacity > 0, "a packet queue needs room for at least one packet")
        self.capacity = capacity
        self.byteCapacity = byteCapacity
        self.onFull = onFull
    }

    /// Appends `batch`, waiting while the queue is full (an empty queue always takes a batch, however big).
    /// After `close()` the batch is discarded.
    func push(_ batch: [CapturedPacket]) {
        guard !batch.isEmpty else { return }
        let bytes = batch.reduce(0) { $0 + $1.data.count }
        if let onFull, lock.withLock({ !closed && !pending.isEmpty && (pending.count + batch.count > capacity
            || pendingBytes + bytes > byteCapacity) })
        {
            onFull()
        }
        lock.withLock {
            while !closed && !pending.isEmpty
                && (pending.count + batch.count > capacity || pendingBytes + bytes > byteCapacity)
            {
                lock.wait()
            }
            guard !closed else { return }
            pending.append(contentsOf: batch)
            pendingBytes += bytes
            lock.broadcast()
        }
    }

    /// Everything pending, waiting until there is something; `nil` once the queue is finished and empty.
    func popAll() -> [CapturedPacket]? {
        lock.withLock {
            while pending.isEmpty && !closed { lock.wait() }
            if pending.isEmpty { return nil }
            let batch = pending
            pending = []
            pendingBytes = 0
            lock.broadcast()
            return batch
        }
    }

    /// Ends the queue: the consumer still gets what is pending, then `nil`.
    func finish() {
        lock.withLock {
            closed = true
            lock.broadcast()
        }
    }
}
