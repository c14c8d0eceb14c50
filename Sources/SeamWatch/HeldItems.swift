import SeamCore

/// Calls and captured packets waiting to be judged and recorded, taken out in time order.
///
/// Each kind arrives nearly in time order (the ring in the order calls returned, the capture in the order
/// the kernel stamped packets), so each is a FIFO; `take(upTo:)` takes the items stamped up to a time from
/// both and sorts them (a stable sort: equal times keep arrival order, calls first).
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
    private var packets: [(data: [UInt8], timestamp: Timestamp, originalLength: Int)] = []

    var count: Int { calls.count + packets.count }

    mutating func add(_ call: SessionCall) { calls.append(call) }

    mutating func add(packet data: [UInt8], timestamp: Timestamp, originalLength: Int) {
        packets.append((data, timestamp, originalLength))
    }

    /// The items stamped at or before `horizon` (nanoseconds), in time order, removed from the hold.
    mutating func take(upTo horizon: Int64) -> [Item] {
        // Nearly ordered: everything before the first item past the horizon, plus any straggler behind.
        let ready = calls.filter { $0.timestamp.nanoseconds <= horizon }
        calls.removeAll { $0.timestamp.nanoseconds <= horizon }
        let readyPackets = packets.filter { $0.timestamp.nanoseconds <= horizon }
        packets.removeAll { $0.timestamp.nanoseconds <= horizon }
        var items = ready.map { Item.call($0) }
        items += readyPackets.map { Item.packet(data: $0.data, timestamp: $0.timestamp, originalLength: $0.originalLength) }
        // A stable sort by time (Swift's sort is not guaranteed stable, so the index breaks ties).
        return items.enumerated().sorted {
            ($0.element.timestamp.nanoseconds, $0.offset) < ($1.element.timestamp.nanoseconds, $1.offset)
        }.map(\.element)
    }
}
