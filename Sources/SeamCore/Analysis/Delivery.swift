/// How one message travelled: the send calls that wrote it, the segments that carried it, the reads that
/// returned it, and its time budget: how long it spent in the sender's kernel (its first send to its last
/// segment) and in the receiver's buffer (its last byte's arrival to the read that made it whole). A part the
/// file did not observe is `nil`, never guessed.
public struct Delivery: Hashable, Sendable {
    /// The message, by index in its direction.
    public var message: Int
    /// Indexes into the direction's sends, fresh segments and recvs.
    public var sends: Range<Int>?
    public var segments: Range<Int>?
    public var recvs: Range<Int>?
    /// When its first send began (its entry time when recorded), and when its last send returned.
    public var firstSend: Timestamp?
    /// When the segment carrying its last byte was captured.
    public var lastSegment: Timestamp?
    /// When the first read of its bytes returned.
    public var firstRead: Timestamp?
    /// When the read that returned its last byte returned: the reader had it whole then.
    public var wholeAt: Timestamp?

    public init(message: Int) {
        self.message = message
    }

    /// First send → last segment: how long the sender's kernel held it.
    public var senderKernelNanoseconds: Int64? {
        guard let firstSend, let lastSegment else { return nil }
        return max(0, lastSegment.nanoseconds - firstSend.nanoseconds)
    }

    /// Last segment → the read that made it whole: how long it waited in the receiver's buffer.
    public var receiverBufferNanoseconds: Int64? {
        guard let lastSegment, let wholeAt else { return nil }
        return max(0, wholeAt.nanoseconds - lastSegment.nanoseconds)
    }

    /// First send → whole at the reader, when both ends were observed.
    public var totalNanoseconds: Int64? {
        guard let firstSend, let wholeAt else { return nil }
        return max(0, wholeAt.nanoseconds - firstSend.nanoseconds)
    }
}

/// A direction's time budgets summed up: the median and largest of each part over its messages.
public struct DeliveryBudget: Hashable, Sendable {
    public struct Spread: Hashable, Sendable {
        public var median: Int64
        public var maximum: Int64
        /// The message with the largest value.
        public var worstMessage: Int
    }

    public var senderKernel: Spread?
    public var receiverBuffer: Spread?
    public var total: Spread?

    init(_ deliveries: [Delivery]) {
        func spread(_ value: (Delivery) -> Int64?) -> Spread? {
            let values = deliveries.compactMap { delivery in value(delivery).map { ($0, delivery.message) } }
            guard !values.isEmpty else { return nil }
            let sorted = values.map(\.0).sorted()
            let worst = values.max { $0.0 < $1.0 }!
            return Spread(median: sorted[sorted.count / 2], maximum: worst.0, worstMessage: worst.1)
        }
        senderKernel = spread(\.senderKernelNanoseconds)
        receiverBuffer = spread(\.receiverBufferNanoseconds)
        total = spread(\.totalNanoseconds)
    }
}

/// Builds the delivery record of every message of a direction.
enum DeliveryRule {
    static func deliveries(_ timeline: DirectionTimeline) -> [Delivery] {
        let sends = timeline.sends
        let segments = timeline.segments != nil ? timeline.freshSegments : nil
        let recvs = timeline.recvs.map { $0.filter { !$0.range.isEmpty } }
        return timeline.messages.enumerated().map { index, message in
            var delivery = Delivery(message: index)
            guard !message.range.isEmpty else { return delivery }
            if let sends {
                let found = RangeSearch.indexRange(overlapping: message.range, in: sends)
                if let first = found.first {
                    delivery.sends = found
                    delivery.firstSend = sends[first].call?.entryTime ?? sends[first].time
                }
            }
            if let segments {
                let found = RangeSearch.indexRange(overlapping: message.range, in: segments)
                if !found.isEmpty {
                    delivery.segments = found
                    delivery.lastSegment = segments[found.last!].time
                }
            }
            if let recvs, !timeline.recvIsWhatIf {
                let found = RangeSearch.indexRange(overlapping: message.range, in: recvs)
                if let first = found.first, let last = found.last {
                    delivery.recvs = found
                    delivery.firstRead = recvs[first].time
                    if recvs[last].range.upperBound >= message.range.upperBound { delivery.wholeAt = recvs[last].time }
                }
            }
            return delivery
        }
    }
}
