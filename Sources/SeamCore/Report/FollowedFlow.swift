/// The flow a stream view shows: its id and its two endpoints (Follow's `Node 0`, the client, and `Node 1`,
/// the server). A value, so views are tested without a capture.
public struct FollowedFlow: Hashable, Sendable {
    public var id: FlowID
    public var client: Endpoint
    public var server: Endpoint
    /// Whether client and server were guessed (the flow's first packet was not a SYN).
    public var clientIsGuessed: Bool

    public init(id: FlowID, client: Endpoint, server: Endpoint, clientIsGuessed: Bool = false) {
        self.id = id
        self.client = client
        self.server = server
        self.clientIsGuessed = clientIsGuessed
    }

    public init(_ flow: FlowState) {
        self.init(id: flow.id, client: flow.client, server: flow.server, clientIsGuessed: flow.clientIsGuessed)
    }

    /// The sender of `direction`.
    public func sender(_ direction: Direction) -> Endpoint { direction == .clientToServer ? client : server }

    /// The display filter that selects the same flow in Wireshark (`tcp.stream eq 3`).
    public var wiresharkFilter: String { "\(id.proto.rawValue).stream eq \(id.index)" }
}
