import NIOConcurrencyHelpers
import SeamCore
import SeamProxy

/// The session of one lesson, kept in memory and written as one session file at the end: the peers' own
/// calls (`leg=app`), the proxy's calls (it is the proxy's `ProxyCallSink`) and the captured packets.
///
/// A lesson moves a few kilobytes, so holding everything and sorting once by time is simpler and exact:
/// the file is in timestamp order whatever thread stamped what. Thread-safe (one lock); `write(to:)` once.
public final class DemoSession: ProxyCallSink, @unchecked Sendable {
    enum Item {
        case call(SessionCall)
        case packet(PacketRecord)

        var timestamp: Timestamp {
            switch self {
            case .call(let call): return call.timestamp
            case .packet(let packet): return packet.timestamp
            }
        }
    }

    private let lock = NIOLock()
    private var items: [Item] = []
    private var captureLinkType: LinkType?
    private var lastAppConnection = 100
    /// The session's settings (section comment).
    public var settings: SessionSettings

    public init(settings: SessionSettings) {
        self.settings = settings
    }

    /// A new connection number for a peer's socket (101, 102, …: apart from the proxy's 1, 2, …).
    public func nextAppConnection() -> Int {
        lock.withLock {
            lastAppConnection += 1
            return lastAppConnection
        }
    }

    /// A call of a demo peer (or any session call).
    public func record(app call: SessionCall) {
        lock.withLock { items.append(.call(call)) }
    }

    /// A call of the proxy.
    public func record(_ call: ProxyCall) {
        let session = SessionCall(
            kind: SessionCall.Kind(rawValue: call.kind.rawValue) ?? .error,
            connection: call.connection,
            leg: Leg(rawValue: call.leg.rawValue) ?? .downstream,
            direction: call.direction,
            offset: call.offset,
            length: call.length,
            bufferSize: call.bufferSize,
            transport: call.transport == .udp ? .udp : .tcp,
            source: call.source,
            destination: call.destination,
            timestamp: call.timestamp,
            payload: call.payload.map { Array($0.readableBytesView) },
            extra: call.extra.map { CommentWord($0.key, $0.value) }
        )
        record(app: session)
    }

    /// Declares the capture's link type; packets recorded after go on its interface.
    public func addCapture(linkType: LinkType) {
        lock.withLock { captureLinkType = linkType }
    }

    /// A captured packet.
    public func record(packet: PacketRecord) {
        lock.withLock { items.append(.packet(packet)) }
    }

    /// The calls recorded so far, in time order.
    public var calls: [SessionCall] {
        lock.withLock {
            items.compactMap { if case .call(let call) = $0 { return call } else { return nil } }
        }.sorted { $0.timestamp < $1.timestamp }
    }

    /// How many packets were captured.
    public var packetCount: Int {
        lock.withLock { items.reduce(0) { if case .packet = $1 { return $0 + 1 } else { return $0 } } }
    }

    /// Writes the session file (mode 0600): calls on interface 0 (link type 252), packets on interface 1.
    public func write(to path: String) throws {
        let (sorted, linkType, settings) = lock.withLock { () -> ([Item], LinkType?, SessionSettings) in
            let ordered = items.enumerated().sorted {
                ($0.element.timestamp, $0.offset) < ($1.element.timestamp, $1.offset)
            }.map(\.element)
            return (ordered, captureLinkType, self.settings)
        }
        let writer = try PcapngWriter(path: path, sectionComment: settings.description)
        try writer.addInterface(
            linkType: .wiresharkUpperPDU,
            name: "seam-calls",
            description: "socket calls of seam demo"
        )
        var captureInterface: Int?
        if let linkType {
            captureInterface = try writer.addInterface(linkType: linkType, name: "lo", description: "capture")
        }
        for item in sorted {
            switch item {
            case .call(let call):
                try writer.writePacket(
                    interface: 0,
                    timestamp: call.timestamp,
                    data: call.exportedPDU(),
                    comment: call.commentWords
                )
            case .packet(let packet):
                guard let captureInterface else { continue }
                try writer.writePacket(
                    interface: captureInterface,
                    timestamp: packet.timestamp,
                    data: Array(packet.data),
                    originalLength: packet.originalLength
                )
            }
        }
        try writer.close()
    }
}
