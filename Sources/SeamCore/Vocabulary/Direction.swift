/// One of a connection's two directions. The client is the side that sent the first SYN (or, without
/// a SYN in the capture, the side with the higher port, as a guess the flow records).
public enum Direction: String, Hashable, Sendable, CaseIterable, Codable {
    case clientToServer = "c2s"
    case serverToClient = "s2c"

    public var reversed: Direction { self == .clientToServer ? .serverToClient : .clientToServer }

    /// The side whose writes move bytes in this direction.
    public var sender: Side { self == .clientToServer ? .client : .server }
    /// The side whose reads take them.
    public var receiver: Side { sender.other }
}
