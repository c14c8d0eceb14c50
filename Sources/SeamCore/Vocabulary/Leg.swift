/// Which connection between two sockets a call or a flow belongs to (the `leg=` word of a session call).
///
/// A proxied connection has two legs: `downstream` (client ↔ proxy) and `upstream` (proxy ↔ server); the
/// proxy's reads on one feed its writes on the other. `app` is the connection of a program whose own calls
/// were recorded (a demo peer, a traced or watched program).
public enum Leg: String, Hashable, Sendable, CaseIterable, Codable {
    case downstream
    case upstream
    case app

    /// The proxy's other leg (`app` has none and is its own partner).
    public var partner: Leg {
        switch self {
        case .downstream: return .upstream
        case .upstream: return .downstream
        case .app: return .app
        }
    }

    /// The direction of the bytes the proxy reads on this leg: from the client on `downstream`, from the
    /// server on `upstream`. (`app` calls carry their own direction; `c2s` here.)
    public var proxyReadDirection: Direction { self == .upstream ? .serverToClient : .clientToServer }
}
