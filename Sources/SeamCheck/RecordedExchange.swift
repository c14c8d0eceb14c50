import SeamCore

/// One recorded TCP connection as `seam check` replays it: the bytes each side sent, the chunks they came in
/// (the recorded calls), and when each side spoke relative to the other.
///
/// Built from a session's calls: for each direction the sender's own `send` calls when a traced program made
/// them, else the proxy's reads from the sender (the chunks as they arrived, before any `--rechunk`), else
/// whatever sends or reads moved the direction's bytes.
/// Calls without payload (`--no-payload`) cannot be replayed.
public struct RecordedExchange: Sendable, Hashable {
    /// One recorded chunk of a direction: its bytes' range on the direction's axis, and when it was moved.
    public struct Chunk: Sendable, Hashable {
        public var range: Range<Int>
        public var time: Timestamp

        public init(range: Range<Int>, time: Timestamp) {
            self.range = range
            self.time = time
        }
    }

    /// The connection number in the session.
    public var connection: Int
    /// The server the client talked to, when recorded.
    public var server: Endpoint?
    /// What the client sent, and what the server sent.
    public var clientBytes: [UInt8]
    public var serverBytes: [UInt8]
    public var clientChunks: [Chunk]
    public var serverChunks: [Chunk]
    /// Whether the server ended its side first (its end-of-file or close came before the client's).
    public var serverClosedFirst: Bool

    public init(
        connection: Int,
        server: Endpoint? = nil,
        clientBytes: [UInt8],
        serverBytes: [UInt8],
        clientChunks: [Chunk],
        serverChunks: [Chunk],
        serverClosedFirst: Bool = false
    ) {
        self.connection = connection
        self.server = server
        self.clientBytes = clientBytes
        self.serverBytes = serverBytes
        self.clientChunks = clientChunks
        self.serverChunks = serverChunks
        self.serverClosedFirst = serverClosedFirst
    }

    /// How many bytes `side`'s peer had sent before `time`: what a chunk sent then was an answer to.
    public func bytesBefore(_ time: Timestamp, sentBy direction: Direction) -> Int {
        let chunks = direction == .clientToServer ? clientChunks : serverChunks
        return chunks.last { $0.time <= time }?.range.upperBound ?? 0
    }

    /// The TCP connections of a session, in connection order; connections with the same bytes as an earlier one
    /// (both ends of one connection traced) are left out.
    public static func connections(in calls: [SessionCall]) throws(CheckError) -> [RecordedExchange] {
        let tcp = calls.filter { $0.transport == .tcp }
        guard !tcp.isEmpty else { throw .nothingToReplay("the session has no TCP calls") }
        var byConnection: [Int: [SessionCall]] = [:]
        for call in tcp { byConnection[call.connection, default: []].append(call) }
        var exchanges: [RecordedExchange] = []
        var sawBytesWithoutPayload = false
        for number in byConnection.keys.sorted() {
            let calls = byConnection[number]!.sorted { $0.timestamp < $1.timestamp }
            guard let exchange = exchange(number, calls, missingPayload: &sawBytesWithoutPayload) else { continue }
            if exchanges.contains(where: {
                $0.clientBytes == exchange.clientBytes && $0.serverBytes == exchange.serverBytes
            }) {
                continue
            }
            exchanges.append(exchange)
        }
        if exchanges.isEmpty {
            throw .nothingToReplay(
                sawBytesWithoutPayload
                    ? "the session was recorded without payload (--no-payload): its bytes are not in it"
                    : "no connection of the session moved a byte"
            )
        }
        return exchanges
    }

    private static func exchange(_ number: Int, _ calls: [SessionCall], missingPayload: inout Bool) -> RecordedExchange?
    {
        func chunks(_ direction: Direction) -> (bytes: [UInt8], chunks: [Chunk]) {
            let moving = calls.filter { $0.direction == direction && ($0.length ?? 0) > 0 }
            // A traced program's own sends are its writes; else the proxy's reads from the sender (its writes
            // may be re-chunked on purpose, --rechunk); else any sends, else any reads.
            let programSends = moving.filter { $0.kind == .send && $0.leg == .app }
            let proxyReads = moving.filter { $0.kind == .recv && $0.leg != .app }
            let sends = moving.filter { $0.kind == .send }
            let chosen = [programSends, proxyReads, sends].first { !$0.isEmpty } ?? moving.filter { $0.kind == .recv }
            var bytes: [UInt8] = []
            var result: [Chunk] = []
            for call in chosen {
                guard let payload = call.payload, !call.isPayloadCut else {
                    missingPayload = true
                    continue
                }
                result.append(Chunk(range: bytes.count..<(bytes.count + payload.count), time: call.timestamp))
                bytes += payload
            }
            return (bytes, result)
        }
        let client = chunks(.clientToServer)
        let server = chunks(.serverToClient)
        guard !client.bytes.isEmpty || !server.bytes.isEmpty else { return nil }
        let ends = calls.filter { $0.kind == .recv && $0.length == 0 }
        let serverEnd = ends.first { $0.direction == .serverToClient }?.timestamp
        let clientEnd = ends.first { $0.direction == .clientToServer }?.timestamp
        let serverFirst = serverEnd.map { end in clientEnd.map { end < $0 } ?? true } ?? false
        let endpoint = calls.first { $0.kind == .connect || $0.kind == .accept }?.destination
        return RecordedExchange(
            connection: number,
            server: endpoint,
            clientBytes: client.bytes,
            serverBytes: server.bytes,
            clientChunks: client.chunks,
            serverChunks: server.chunks,
            serverClosedFirst: serverFirst
        )
    }
}
