/// One end of a connection: the client (it sent the first SYN, or the first UDP datagram) or the server.
public enum Side: String, Hashable, Sendable, CaseIterable, Codable {
    case client
    case server

    public var other: Side { self == .client ? .server : .client }

    /// The direction this side's writes move bytes in: a client sends `c2s`.
    public var sending: Direction { self == .client ? .clientToServer : .serverToClient }
    /// The direction this side's reads take bytes from.
    public var receiving: Direction { sending.reversed }
}
