/// Where each sender's write calls ended, per connection and direction, from a session's calls: what
/// `FramingDetection.applyingSends` scores framings against.
///
/// A call is tied to its connection by the endpoints: the proxy's `accept` and `connect` calls name each
/// leg's client and server, later calls of that leg name only the leg; `app` calls (a traced program's own)
/// carry their socket's endpoints in the direction of the data.
public struct SendBoundaryIndex: Sendable {
    struct Key: Hashable, Sendable {
        var client: Endpoint
        var server: Endpoint
    }

    private var legs: [String: Key] = [:]
    private var ends: [Key: [[UInt64]]] = [:]
    /// Send calls added.
    public private(set) var sendCount = 0

    public init() {}

    /// Takes one session call; only `accept`, `connect` and `send` calls of TCP matter.
    public mutating func add(_ call: SessionCall) {
        guard call.transport == .tcp else { return }
        let leg = "\(call.connection) \(call.leg.rawValue)"
        switch call.kind {
        case .accept, .connect:
            if let source = call.source, let destination = call.destination {
                legs[leg] = Key(client: source, server: destination)
            }
        case .send:
            guard let offset = call.offset, let length = call.length, length > 0 else { return }
            let key: Key
            let direction: Direction
            if let known = legs[leg], let dir = call.direction {
                (key, direction) = (known, dir)
            } else if let source = call.source, let destination = call.destination {
                direction = call.direction ?? .clientToServer
                key =
                    direction == .clientToServer
                    ? Key(client: source, server: destination) : Key(client: destination, server: source)
            } else {
                return
            }
            var lists = ends[key] ?? [[], []]
            let side = direction == .clientToServer ? 0 : 1
            if lists[side].count < FramingDetector.sendSampleLimit { lists[side].append(offset + UInt64(length)) }
            ends[key] = lists
            sendCount += 1
        default:
            return
        }
    }

    /// The send ends of `direction` of the connection between `client` and `server` (either orientation),
    /// empty when none were recorded.
    public func ends(client: Endpoint, server: Endpoint, direction: Direction) -> [UInt64] {
        if let lists = ends[Key(client: client, server: server)] {
            return lists[direction == .clientToServer ? 0 : 1]
        }
        if let lists = ends[Key(client: server, server: client)] {
            return lists[direction == .clientToServer ? 1 : 0]
        }
        return []
    }
}
