/// The framing of each direction of a connection: client → server (`c2s`) and server → client (`s2c`).
///
/// Most protocols use one spec for both (`DirectionFraming(.pgsql)`; the decoders read each side by its own
/// rules when the framer is told its direction); protocols whose directions differ take two (a line-based
/// command, a length-prefixed answer: `DirectionFraming(clientToServer: .line, serverToClient: .pythonStruct)`).
public struct DirectionFraming: Hashable, Sendable, CustomStringConvertible {
    /// How the client's bytes are framed.
    public var clientToServer: FramingSpec
    /// How the server's bytes are framed.
    public var serverToClient: FramingSpec

    /// One framing for both directions.
    public init(_ both: FramingSpec) {
        clientToServer = both
        serverToClient = both
    }

    /// A framing per direction.
    public init(clientToServer: FramingSpec, serverToClient: FramingSpec) {
        self.clientToServer = clientToServer
        self.serverToClient = serverToClient
    }

    /// The framing of `direction`.
    public subscript(direction: Direction) -> FramingSpec {
        get { direction == .clientToServer ? clientToServer : serverToClient }
        set {
            if direction == .clientToServer { clientToServer = newValue } else { serverToClient = newValue }
        }
    }

    /// Whether both directions use the same spec.
    public var isSymmetric: Bool { clientToServer == serverToClient }

    /// A framer for one direction, told its direction.
    public func makeFramer(_ direction: Direction, startOffset: UInt64 = 0) -> MessageFramer {
        MessageFramer(spec: self[direction], direction: direction, startOffset: startOffset)
    }

    /// The spec when both directions share it (`pgsql`), else `c2s SPEC, s2c SPEC`.
    public var description: String {
        isSymmetric ? clientToServer.description : "c2s \(clientToServer), s2c \(serverToClient)"
    }
}
