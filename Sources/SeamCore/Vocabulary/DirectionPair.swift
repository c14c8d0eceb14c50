/// One value per direction of a connection, indexed by `Direction`: what a flow keeps of each direction.
///
/// ```swift
/// var bytes = DirectionPair(repeating: 0)
/// bytes[.clientToServer] += 5
/// let total = bytes.clientToServer + bytes.serverToClient
/// ```
public struct DirectionPair<Value> {
    public var clientToServer: Value
    public var serverToClient: Value

    public init(clientToServer: Value, serverToClient: Value) {
        self.clientToServer = clientToServer
        self.serverToClient = serverToClient
    }

    /// Both directions start as `value`.
    public init(repeating value: Value) {
        self.init(clientToServer: value, serverToClient: value)
    }

    /// Each direction's value made by `make`.
    public init(_ make: (Direction) throws -> Value) rethrows {
        self.init(clientToServer: try make(.clientToServer), serverToClient: try make(.serverToClient))
    }

    /// The value of `direction`. Mutated in place (`pair[.clientToServer].append(x)` does not copy the array).
    public subscript(direction: Direction) -> Value {
        get { direction == .clientToServer ? clientToServer : serverToClient }
        _modify {
            if direction == .clientToServer {
                yield &clientToServer
            } else {
                yield &serverToClient
            }
        }
    }

    /// Both values, `c2s` first.
    public var both: [Value] { [clientToServer, serverToClient] }

    /// The pair seen from the other end: its `c2s` is this pair's `s2c`.
    public var swapped: DirectionPair { DirectionPair(clientToServer: serverToClient, serverToClient: clientToServer) }

    public func map<T>(_ transform: (Value) throws -> T) rethrows -> DirectionPair<T> {
        DirectionPair<T>(clientToServer: try transform(clientToServer), serverToClient: try transform(serverToClient))
    }
}

extension DirectionPair: Sendable where Value: Sendable {}
extension DirectionPair: Equatable where Value: Equatable {}
extension DirectionPair: Hashable where Value: Hashable {}
