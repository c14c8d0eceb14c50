import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SeamCore

/// Writes a session file (pcapng): the proxy's calls on interface 0 (link type 252, `seam-calls`) and, when
/// a capture adds its interface, the captured packets, in timestamp order.
///
/// Thread-safe: calls come from NIO event loops, packets from a capture thread; both only append to a
/// queue under a lock. One thread of its own (never an event loop) converts and writes. Items are held
/// for `reorderWindow` (250 ms) so that calls and packets stamped a little apart by different threads
/// still reach the file in timestamp order; `close()` writes everything left and flushes.
///
/// What is held, queued or waiting in the reorder window, is bounded (`capacity` items, `payloadBudget`
/// payload bytes). When the disk cannot keep
/// up, new items are dropped and counted rather than stalling the relay: recording must never slow down
/// what it records without bound. The count is in `statistics`, in the summary, and in an interface
/// statistics block (`isb_ifdrop`) on the calls' interface at close.
public final class SessionRecorder: ProxyCallSink, @unchecked Sendable {
    /// What the recorder did.
    public struct Statistics: Sendable, Equatable {
        public var callsWritten: UInt64 = 0
        public var packetsWritten: UInt64 = 0
        /// Calls and packets dropped because the queue was full.
        public var dropped: UInt64 = 0
        /// The first write error, if writing failed (later items are dropped).
        public var writeError: String?
    }

    enum Item {
        case call(ProxyCall)
        case packet(interface: Int, timestamp: Timestamp, data: [UInt8], originalLength: Int)

        var timestamp: Timestamp {
            switch self {
            case .call(let call): return call.timestamp
            case .packet(_, let timestamp, _, _): return timestamp
            }
        }

        var payloadBytes: Int {
            switch self {
            case .call(let call): return call.payload?.readableBytes ?? 0
            case .packet(_, _, let data, _): return data.count
            }
        }
    }

    /// The interface index of the proxy's calls.
    public static let callsInterface = 0

    public let path: String
    private let keepsPayload: Bool
    private let reorderWindowNanoseconds: Int64
    private let capacity: Int
    private let payloadBudget: Int
    /// Guards `queue`, `heldItems`, `heldPayload`, `closing`, `stats`; value 1 when the queue has items or
    /// the recorder is closing.
    private let queueLock = ConditionLock(value: 0)
    private var queue: [Item] = []
    /// Items and payload bytes queued or in the writer's reorder heap, not yet written.
    private var heldItems = 0
    private var heldPayload = 0
    private var closing = false
    private var stats = Statistics()
    /// Interface statistics blocks to write at close, from `noteInterfaceStatistics`.
    private var interfaceStatistics: [(interface: Int, received: UInt64, dropped: UInt64, comment: String?)] = []
    /// Guards the writer (the writer thread, `addCaptureInterface`).
    private let writerLock = NIOLock()
    private let writer: PcapngWriter
    private let thread = NIOThreadPool(numberOfThreads: 1)
    private let finished = ConditionLock(value: false)

    /// Creates the file (mode 0600) with the settings in its section comment and starts the writer thread.
    /// - Throws: `ProxyError.cannotRecord` when the file cannot be created.
    public init(
        path: String, settings: SessionSettings, keepsPayload: Bool = true, reorderWindowMilliseconds: Int = 250,
        capacity: Int = 262_144, payloadBudget: Int = 256 << 20
    ) throws {
        self.path = path
        self.keepsPayload = keepsPayload
        self.reorderWindowNanoseconds = Int64(reorderWindowMilliseconds) * 1_000_000
        self.capacity = capacity
        self.payloadBudget = payloadBudget
        do {
            writer = try PcapngWriter(path: path, sectionComment: settings.description)
            try writer.addInterface(
                linkType: .wiresharkUpperPDU, name: "seam-calls", description: "socket calls of seam proxy")
            try writer.flush()
        } catch {
            throw ProxyError.cannotRecord(path: path, reason: Self.reason(error))
        }
        thread.start()
        thread.submit { [self] _ in writeLoop() }
    }

    /// Queues one proxy call (from any thread; never blocks on the disk).
    public func record(_ call: ProxyCall) {
        enqueue(.call(call))
    }

    /// Adds the capture's interface (an IDB) and returns its index for `record(packet:interface:)`.
    public func addCaptureInterface(linkType: LinkType, snapLength: Int = 262_144, name: String? = nil) throws -> Int {
        try writerLock.withLock {
            try writer.addInterface(linkType: linkType, snapLength: snapLength, name: name, description: "capture")
        }
    }

    /// Queues one captured packet on an interface from `addCaptureInterface` (from any thread).
    public func record(packet: PacketRecord, interface: Int) {
        enqueue(
            .packet(
                interface: interface, timestamp: packet.timestamp, data: Array(packet.data),
                originalLength: packet.originalLength))
    }

    /// Notes the statistics of interface `interface` (a capture's `pcap_stats`): `close()` writes them as an
    /// interface statistics block (`isb_ifrecv`, `isb_ifdrop`) after every queued packet. A later note for the
    /// same interface replaces the earlier one.
    public func noteInterfaceStatistics(interface: Int, received: UInt64, dropped: UInt64, comment: String? = nil) {
        queueLock.lock()
        interfaceStatistics.removeAll { $0.interface == interface }
        interfaceStatistics.append((interface, received, dropped, comment))
        queueLock.unlock()
    }

    /// What was written and dropped so far.
    public var statistics: Statistics {
        queueLock.lock()
        defer { queueLock.unlock() }
        return stats
    }

    /// Writes everything queued, the drop count, and closes the file. Blocks until done; call it once,
    /// off the event loops.
    @discardableResult
    public func close() throws -> Statistics {
        queueLock.lock()
        closing = true
        queueLock.unlock(withValue: 1)
        finished.lock(whenValue: true)
        finished.unlock()
        try? thread.syncShutdownGracefully()
        let final = statistics
        queueLock.lock()
        let noted = interfaceStatistics
        queueLock.unlock()
        try writerLock.withLock {
            for entry in noted {
                try? writer.writeInterfaceStatistics(
                    interface: entry.interface, timestamp: .now(), received: entry.received, dropped: entry.dropped,
                    comment: entry.comment)
            }
            if final.dropped > 0 {
                try? writer.writeInterfaceStatistics(
                    interface: Self.callsInterface, timestamp: .now(), received: final.callsWritten + final.dropped,
                    dropped: final.dropped, comment: "seam: \(final.dropped) items dropped, the disk did not keep up")
            }
            do {
                try writer.close()
            } catch {
                throw ProxyError.cannotRecord(path: path, reason: Self.reason(error))
            }
        }
        if let error = final.writeError { throw ProxyError.cannotRecord(path: path, reason: error) }
        return final
    }

    private func enqueue(_ item: Item) {
        queueLock.lock()
        if closing || heldItems >= capacity || heldPayload + item.payloadBytes > payloadBudget {
            stats.dropped &+= 1
            queueLock.unlock()
            return
        }
        queue.append(item)
        heldItems += 1
        heldPayload += item.payloadBytes
        queueLock.unlock(withValue: 1)
    }

    /// The writer thread: take what is queued, keep it in a heap by time, write what is older than the
    /// window, flush when idle; at close, write all.
    private func writeLoop() {
        var heap = TimestampHeap<Item>()
        var sequence: UInt64 = 0
        var unflushed = false
        while true {
            var batch: [Item] = []
            var isClosing = false
            if queueLock.lock(whenValue: 1, timeoutSeconds: 0.05) {
                swap(&batch, &queue)
                isClosing = closing
                queueLock.unlock(withValue: isClosing ? 1 : 0)
            }
            for item in batch {
                heap.push(item, timestamp: item.timestamp, sequence: sequence)
                sequence &+= 1
            }
            let horizon = isClosing ? Int64.max : Timestamp.now().nanoseconds - reorderWindowNanoseconds
            var calls: UInt64 = 0
            var packets: UInt64 = 0
            var released = 0
            var releasedPayload = 0
            var failure: String?
            writerLock.withLock {
                while let first = heap.peekTimestamp, first.nanoseconds <= horizon, let item = heap.pop() {
                    released += 1
                    releasedPayload += item.payloadBytes
                    do {
                        switch item {
                        case .call(let call):
                            let session = SessionCall(call, keepsPayload: keepsPayload)
                            try writer.writePacket(
                                interface: Self.callsInterface, timestamp: session.timestamp,
                                data: session.exportedPDU(), comment: session.commentWords)
                            calls += 1
                        case .packet(let interface, let timestamp, let data, let originalLength):
                            try writer.writePacket(
                                interface: interface, timestamp: timestamp, data: data, originalLength: originalLength)
                            packets += 1
                        }
                        unflushed = true
                    } catch {
                        failure = failure ?? Self.reason(error)
                    }
                }
                if unflushed && (batch.isEmpty || isClosing) {
                    do { try writer.flush() } catch { failure = failure ?? Self.reason(error) }
                    unflushed = false
                }
            }
            if released > 0 || failure != nil {
                queueLock.lock()
                heldItems -= released
                heldPayload -= releasedPayload
                stats.callsWritten &+= calls
                stats.packetsWritten &+= packets
                if let failure, stats.writeError == nil { stats.writeError = failure }
                queueLock.unlock(withValue: queue.isEmpty && !closing ? 0 : 1)
            }
            if isClosing && heap.isEmpty {
                finished.lock()
                finished.unlock(withValue: true)
                return
            }
        }
    }

    static func reason(_ error: Error) -> String {
        if let error = error as? CaptureFileError { return error.message }
        return "\(error)"
    }
}

extension SessionCall {
    /// The session file's form of a proxy call; the payload is copied out of its buffer here (off the loop).
    init(_ call: ProxyCall, keepsPayload: Bool) {
        self.init(
            kind: SessionCall.Kind(rawValue: call.kind.rawValue) ?? .error, connection: call.connection,
            leg: Leg(rawValue: call.leg.rawValue) ?? .downstream, direction: call.direction,
            offset: call.offset, length: call.length, bufferSize: call.bufferSize,
            transport: call.transport == .udp ? .udp : .tcp, source: call.source, destination: call.destination,
            timestamp: call.timestamp,
            payload: keepsPayload ? call.payload.map { Array($0.readableBytesView) } : nil,
            extra: call.extra.map { CommentWord($0.key, $0.value) })
    }
}
