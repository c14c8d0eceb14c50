import SeamCore

/// The calls of one replay, as session calls (leg `app`: Seam was the program), for the failing exchange's
/// session file. Seam's cut and joined writes carry `rechunk=split` and `rechunk=coalesce`, so `seam report`
/// tells them from what TCP did.
struct CallLog {
    let connection: Int
    /// The connection's client and server endpoints.
    let client: Endpoint?
    let server: Endpoint?
    /// Which side Seam played: its writes go in this direction.
    let writes: Direction
    private(set) var calls: [SessionCall] = []

    init(connection: Int, client: Endpoint?, server: Endpoint?, writes: Direction = .clientToServer) {
        self.connection = connection
        self.client = client
        self.server = server
        self.writes = writes
    }

    mutating func log(
        _ kind: SessionCall.Kind,
        bytes: [UInt8]? = nil,
        offset: Int? = nil,
        rechunk: SessionCall.Rechunk? = nil
    ) {
        var call = SessionCall(kind: kind, connection: connection, leg: .app, timestamp: .now())
        (call.source, call.destination) = (client, server)
        if let bytes {
            let direction = kind == .send ? writes : writes.reversed
            if direction == .serverToClient { (call.source, call.destination) = (server, client) }
            call.direction = kind == .send ? writes : writes.reversed
            call.offset = UInt64(offset ?? 0)
            call.length = bytes.count
            call.payload = bytes
            if kind == .recv { call.bufferSize = 65_536 }
        }
        if kind == .shutdown {
            call.shutdownHow = .write
            call.direction = writes
        }
        call.rechunk = rechunk
        calls.append(call)
    }
}
