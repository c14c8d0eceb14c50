/// Writes a session file: the one owner of its format, whatever recorded the session (the proxy, the demo,
/// `seam trace`, `seam watch`).
///
/// The file is one pcapng section:
///
/// ```
/// SHB   opt_comment = the session's settings (`seam-session version=1 …`)
/// IDB 0 link type 252 (WIRESHARK_UPPER_PDU), name `seam-calls`: the socket calls, one EPB each
/// IDB n the captured interfaces, added with `addCaptureInterface` (any time before their first packet)
/// EPB … calls and packets, in timestamp order
/// ISB … at the end: each capture's received/dropped counts, and the calls that could not be recorded
/// ```
///
/// **Ordering.** Calls and packets come from different threads and clocks-of-arrival (an event loop stamps
/// a send when its write completes, the capture thread a packet when the kernel saw it), so they reach the
/// writer a little out of order. The writer holds every item for `reorderWindow` after its timestamp and
/// then writes the held items in timestamp order (equal times in the order they were added): a reader sees
/// one time-ordered file, which is what lets `seam report` analyse a session in one streaming pass. An item
/// that arrives later than the window behind items already written is written at once, out of order, and
/// counted (`Statistics.lateItems`); readers tolerate it.
///
/// **Crash safety.** The section and calls interface are on disk before the first call; every
/// `writeHeld(now:)` that wrote something ends with a flush of whole blocks, so a crash loses at most the
/// items still held (the last `reorderWindow`) and the file always ends at a block boundary.
///
/// Not thread-safe: one owner (a recorder's writer thread, or a single-threaded tool) calls it.
public final class SessionWriter {
    /// What was written.
    public struct Statistics: Sendable, Equatable {
        public var callsWritten: UInt64 = 0
        public var packetsWritten: UInt64 = 0
        /// Items that arrived after later items had been written (more than `reorderWindow` late).
        public var lateItems: UInt64 = 0
        /// Items the recorder could not record (it was lossy and full), noted with `noteUnrecorded`.
        public var unrecorded: UInt64 = 0
    }

    /// How long an item is held before it is written: longer than threads and clocks stamp apart.
    public static let reorderWindow: Int64 = 250_000_000
    /// The interface of the calls.
    public static let callsInterface = 0

    private enum Item {
        case call(SessionCall, payload: (any CallPayload)?)
        case packet(interface: Int, timestamp: Timestamp, data: [UInt8], originalLength: Int)

        var payloadBytes: Int {
            switch self {
            case .call(let call, let payload): return payload?.byteCount ?? call.payload?.count ?? 0
            case .packet(_, _, let data, _): return data.count
            }
        }
    }

    /// What was written, as a reader of the file will see it: handed to `onWritten` in file (time) order.
    public enum Written: Sendable {
        case call(SessionCall)
        case packet(PacketRecord)
    }

    /// Called with every item right after it was written, in file order (a live analysis of the session).
    /// A call's payload is copied into `call.payload` for it.
    public var onWritten: ((Written) -> Void)?

    /// When set, `onWritten` gets at most this many bytes of a TCP call's payload: a consumer that reads only the
    /// start of each payload (a live analysis without framing) is then not handed a copy of every byte relayed.
    public var onWrittenPayloadPrefix: Int?

    /// The path or name the file was opened with.
    public let name: String
    /// The dissector Wireshark should show call payloads with (`data`, or the protocol of the framing).
    public let dissector: String
    public private(set) var statistics = Statistics()
    private let writer: PcapngWriter
    private var held = TimestampHeap<Item>()
    private var sequence: UInt64 = 0
    /// The timestamp of the last item written.
    private var writtenUpTo: Timestamp?
    private var interfaceStatistics: [Int: (received: UInt64, dropped: UInt64, comment: String?)] = [:]
    private var linkTypes: [Int: LinkType] = [:]
    private var isFinished = false

    /// Creates the file (mode 0600: it holds payload) and writes the section and the calls interface.
    /// - Parameters:
    ///   - recorder: who records the calls, for the calls interface's description (`seam proxy`).
    ///   - dissector: see `dissector`.
    public convenience init(
        path: String, settings: SessionSettings, recorder: String, dissector: String = "data"
    ) throws {
        try self.init(
            writer: try PcapngWriter(path: path, sectionComment: settings.description), name: path,
            recorder: recorder, dissector: dissector)
    }

    /// Writes to an open descriptor (a pipe, standard output), which `finish()` leaves open.
    public convenience init(
        fileDescriptor: Int32, name: String, settings: SessionSettings, recorder: String, dissector: String = "data"
    ) throws {
        try self.init(
            writer: try PcapngWriter(
                fileDescriptor: fileDescriptor, name: name, sectionComment: settings.description),
            name: name, recorder: recorder, dissector: dissector)
    }

    private init(writer: PcapngWriter, name: String, recorder: String, dissector: String) throws {
        self.writer = writer
        self.name = name
        self.dissector = dissector
        try writer.addInterface(
            linkType: .wiresharkUpperPDU, name: "seam-calls", description: "socket calls of \(recorder)")
        try writer.flush()
    }

    /// Adds a captured interface (an IDB) and returns its index for `add(packet:interface:)`.
    @discardableResult
    public func addCaptureInterface(linkType: LinkType, snapLength: Int = 262_144, name: String? = nil) throws -> Int {
        let index = try writer.addInterface(linkType: linkType, snapLength: snapLength, name: name, description: "capture")
        linkTypes[index] = linkType
        return index
    }

    /// Holds one call. `payload`, when given, is what the call moved (it replaces `call.payload`).
    public func add(_ call: SessionCall, payload: (any CallPayload)? = nil) {
        hold(.call(call, payload: payload), at: call.timestamp)
    }

    /// Holds one captured packet of an interface from `addCaptureInterface`.
    public func add(packet data: [UInt8], timestamp: Timestamp, originalLength: Int, interface: Int) {
        hold(.packet(interface: interface, timestamp: timestamp, data: data, originalLength: originalLength), at: timestamp)
    }

    /// How many items are held, not yet written, and the payload bytes they carry.
    public var heldCount: Int { held.count }
    public private(set) var heldPayloadBytes = 0

    /// Writes every held item whose timestamp is at least `reorderWindow` before `now`, in timestamp order,
    /// and flushes. Returns how many it wrote.
    @discardableResult
    public func writeHeld(now: Timestamp) throws -> Int {
        try writeHeld(upTo: Timestamp(nanoseconds: now.nanoseconds - Self.reorderWindow))
    }

    /// Writes the oldest held items, in timestamp order, until at most `items` items and `payloadBytes` payload
    /// bytes are held, even those younger than `reorderWindow`, and flushes. A recorder does this when it is at its
    /// bound (its producers are paused, so nothing much arrives late); an item that then arrives older than one
    /// written is written out of order and counted in `lateItems`. Returns how many it wrote.
    @discardableResult
    public func writeHeld(untilHeldAtMost items: Int, payloadBytes: Int) throws -> Int {
        var written = 0
        while held.count > items || heldPayloadBytes > payloadBytes, let first = held.peekTimestamp,
            let item = held.pop()
        {
            try write(item, at: first)
            written += 1
        }
        if written > 0 { try writer.flush() }
        return written
    }

    /// Notes the statistics of a captured interface (`pcap_stats`): `finish()` writes them as an interface
    /// statistics block (`isb_ifrecv`, `isb_ifdrop`). A later note for the same interface replaces it.
    public func noteInterfaceStatistics(interface: Int, received: UInt64, dropped: UInt64, comment: String? = nil) {
        interfaceStatistics[interface] = (received, dropped, comment)
    }

    /// Notes calls or packets the recorder could not record; `finish()` states them on the calls interface.
    public func noteUnrecorded(_ count: UInt64) {
        statistics.unrecorded &+= count
    }

    /// When set, `finish()` always writes a statistics block for the calls interface with this comment (the
    /// recorder's mode and counts), not only when items were unrecorded.
    public var callsStatisticsComment: String?

    /// Writes every held item, the interface statistics, and closes the file. Call it once.
    @discardableResult
    public func finish() throws -> Statistics {
        guard !isFinished else { return statistics }
        isFinished = true
        try writeHeld(upTo: Timestamp(nanoseconds: .max))
        let now = Timestamp.now()
        for (interface, entry) in interfaceStatistics.sorted(by: { $0.key < $1.key }) {
            try writer.writeInterfaceStatistics(
                interface: interface, timestamp: now, received: entry.received, dropped: entry.dropped,
                comment: entry.comment)
        }
        if statistics.unrecorded > 0 || callsStatisticsComment != nil {
            try writer.writeInterfaceStatistics(
                interface: Self.callsInterface, timestamp: now,
                received: statistics.callsWritten + statistics.unrecorded, dropped: statistics.unrecorded,
                comment: callsStatisticsComment
                    ?? "seam: \(statistics.unrecorded) items not recorded: the recorder was lossy and full")
        }
        try writer.close()
        return statistics
    }

    private func hold(_ item: Item, at timestamp: Timestamp) {
        heldPayloadBytes += item.payloadBytes
        held.push(item, timestamp: timestamp, sequence: sequence)
        sequence &+= 1
    }

    private func writeHeld(upTo horizon: Timestamp) throws -> Int {
        var written = 0
        while let first = held.peekTimestamp, first <= horizon, let item = held.pop() {
            try write(item, at: first)
            written += 1
        }
        if written > 0 { try writer.flush() }
        return written
    }

    /// Writes one item just popped from `held` (its timestamp is `timestamp`).
    private func write(_ item: Item, at timestamp: Timestamp) throws {
        heldPayloadBytes -= item.payloadBytes
        if let last = writtenUpTo, timestamp < last {
            statistics.lateItems &+= 1
        } else {
            writtenUpTo = timestamp
        }
        try write(item)
    }

    private func write(_ item: Item) throws {
        switch item {
        case .call(let call, let payload):
            let comment = call.commentWords
            if let payload {
                try payload.withPayloadBytes { bytes in
                    let tags = call.exportedPDUTags(dissector: dissector, payloadPreview: bytes.prefix(24))
                    try writer.writePacket(
                        interface: Self.callsInterface, timestamp: call.timestamp, head: tags, tail: bytes,
                        comment: comment)
                }
            } else {
                let tags = call.exportedPDUTags(dissector: dissector, payloadPreview: call.payload?.prefix(24))
                try call.payload.withPayloadPointer { bytes in
                    try writer.writePacket(
                        interface: Self.callsInterface, timestamp: call.timestamp, head: tags, tail: bytes,
                        comment: comment)
                }
            }
            statistics.callsWritten &+= 1
            if let onWritten {
                var copy = call
                if let payload {
                    let limit = call.transport == .tcp ? onWrittenPayloadPrefix ?? .max : .max
                    copy.payload = payload.withPayloadBytes { Array($0.prefix(limit)) }
                }
                onWritten(.call(copy))
            }
        case .packet(let interface, let timestamp, let data, let originalLength):
            try writer.writePacket(interface: interface, timestamp: timestamp, data: data, originalLength: originalLength)
            statistics.packetsWritten &+= 1
            if let onWritten, let linkType = linkTypes[interface] {
                onWritten(
                    .packet(
                        PacketRecord(
                            timestamp: timestamp, interfaceIndex: interface, linkType: linkType,
                            originalLength: originalLength, data: data[...])))
            }
        }
    }
}

extension Optional where Wrapped == [UInt8] {
    /// The bytes as a raw buffer, `nil` when there are none.
    fileprivate func withPayloadPointer<Result>(_ body: (UnsafeRawBufferPointer?) throws -> Result) rethrows -> Result {
        guard let bytes = self else { return try body(nil) }
        return try bytes.withUnsafeBytes { try body($0) }
    }
}

/// Not thread-safe: a SessionWriter belongs to one thread at a time.
@available(*, unavailable)
extension SessionWriter: Sendable {}
