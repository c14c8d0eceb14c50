import SeamCore

/// Calls and captured packets waiting to be judged and recorded, taken out in time order.
///
/// Each kind arrives nearly in time order (the ring in the order calls returned, the capture in the order
/// the kernel stamped packets), so each is a FIFO: `take(upTo:)` takes from the front of each while the
/// front is stamped at or before the horizon, then merges the two runs by time (equal times: calls first).
/// An item a little older than one before it waits for that one; the recorder's reorder window puts such
/// neighbours back in order. Each item is looked at once: the cost is per item, not per item held.
struct HeldItems {
    enum Item {
        case call(SessionCall)
        case packet(data: [UInt8], timestamp: Timestamp, originalLength: Int)

        var timestamp: Timestamp {
            switch self {
            case .call(let call): return call.timestamp
            case .packet(_, let timestamp, _): return timestamp
            }
        }
    }

    private var calls: [SessionCall] = []
    private var callsHead = 0
    private var packets: [(data: [UInt8], timestamp: Timestamp, originalLength: Int)] = []
    private var packetsHead = 0

    var count: Int { calls.count - callsHead + packets.count - packetsHead }

    mutating func add(_ call: SessionCall) { calls.append(call) }

    mutating func add(packet data: [UInt8], timestamp: Timestamp, originalLength: Int) {
        packets.append((data, timestamp, originalLength))
    }

    /// The items at the front stamped at or before `horizon` (nanoseconds), in time order, removed.
    mutating func take(upTo horizon: Int64) -> [Item] {
        var items: [Item] = []
        while callsHead < calls.count || packetsHead < packets.count {
            let call = callsHead < calls.count ? calls[callsHead].timestamp.nanoseconds : Int64.max
            let packet = packetsHead < packets.count ? packets[packetsHead].timestamp.nanoseconds : Int64.max
            if call <= packet {
                guard call <= horizon else { break }
                items.append(.call(calls[callsHead]))
                callsHead += 1
            } else {
                guard packet <= horizon else { break }
                let taken = packets[packetsHead]
                items.append(
                    .packet(data: taken.data, timestamp: taken.timestamp, originalLength: taken.originalLength)
                )
                packetsHead += 1
            }
        }
        if callsHead > 4096 && callsHead * 2 > calls.count {
            calls.removeFirst(callsHead)
            callsHead = 0
        }
        if packetsHead > 4096 && packetsHead * 2 > packets.count {
            packets.removeFirst(packetsHead)
            packetsHead = 0
        }
        return items
    }
}
