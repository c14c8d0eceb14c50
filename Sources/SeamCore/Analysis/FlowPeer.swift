/// Who one side of a flow is, as far as the file shows: a program, or `seam proxy`'s own socket, and what
/// was observed of it. Verdicts are about programs only: the proxy relays, it never mishandles a stream of
/// the programs'.
public struct FlowPeer: Hashable, Sendable {
    public enum Role: String, Hashable, Sendable {
        /// An application (whose own calls may or may not have been recorded).
        case program
        /// The proxy's socket of a proxied leg (the server side of `downstream`, the client side of `upstream`).
        case proxy
    }

    public var endpoint: Endpoint
    public var role: Role
    /// Whether this side's own send and recv calls are in the file.
    public var callsObserved = false
    /// The process, when its calls named it.
    public var process: ProcessName?
    /// When this side closed its socket, when its calls were observed.
    public var closeTime: Timestamp?

    public init(endpoint: Endpoint, role: Role = .program) {
        self.endpoint = endpoint
        self.role = role
    }

    /// Whether it is a program whose own reads and writes were recorded.
    public var isObservedProgram: Bool { role == .program && callsObserved }
}
