/// The framing options of a command line: `--framing SPEC|auto` for both directions, `--framing-c2s` and
/// `--framing-s2c` for one (they take precedence over `--framing` for their direction).
///
/// ```swift
/// let request = try FramingRequest(framing: "auto", clientToServer: nil, serverToClient: "len:u32be")
/// request[.clientToServer]   // .auto
/// request.fixed              // nil: c2s is detected
/// ```
public struct FramingRequest: Hashable, Sendable, CustomStringConvertible {
    /// The client → server choice; `nil` when none was given.
    public var clientToServer: FramingChoice?
    /// The server → client choice; `nil` when none was given.
    public var serverToClient: FramingChoice?

    /// Reads the three options (each `nil` when not given).
    /// - Throws: `FramingSpecError` naming the option's bad part; its `spec` is the text given.
    public init(framing: String?, clientToServer: String? = nil, serverToClient: String? = nil) throws(FramingSpecError)
    {
        let both = try framing.map { (text: String) throws(FramingSpecError) in try FramingChoice(parsing: text) }
        self.clientToServer =
            try clientToServer.map { (text: String) throws(FramingSpecError) in try FramingChoice(parsing: text) }
            ?? both
        self.serverToClient =
            try serverToClient.map { (text: String) throws(FramingSpecError) in try FramingChoice(parsing: text) }
            ?? both
    }

    /// A request of the given choices.
    public init(clientToServer: FramingChoice?, serverToClient: FramingChoice?) {
        self.clientToServer = clientToServer
        self.serverToClient = serverToClient
    }

    /// One spec for both directions.
    public static func both(_ spec: FramingSpec) -> FramingRequest {
        FramingRequest(clientToServer: .spec(spec), serverToClient: .spec(spec))
    }

    /// The choice for `direction`, `nil` when none was given.
    public subscript(direction: Direction) -> FramingChoice? {
        direction == .clientToServer ? clientToServer : serverToClient
    }

    /// Whether no framing option was given.
    public var isEmpty: Bool { clientToServer == nil && serverToClient == nil }

    /// Whether a direction asks for detection.
    public var wantsDetection: Bool { clientToServer == .auto || serverToClient == .auto }

    /// The framing when both directions name a spec; `nil` when one is `auto` or not given.
    public var fixed: DirectionFraming? {
        guard let c2s = clientToServer?.spec, let s2c = serverToClient?.spec else { return nil }
        return DirectionFraming(clientToServer: c2s, serverToClient: s2c)
    }

    /// The framing of each direction: the spec given, or for `auto` (and, with `detectsUnset`, a direction with no
    /// option) what `detection` picked, else `fallback`.
    public func resolved(
        with detection: FlowFramingDetection?,
        detectsUnset: Bool = false,
        fallback: FramingSpec = .sends
    ) -> DirectionFraming {
        func side(_ direction: Direction) -> FramingSpec {
            switch self[direction] {
            case .spec(let spec)?: return spec
            case .auto?: return detection?.picked(direction)?.spec ?? fallback
            case nil: return detectsUnset ? detection?.picked(direction)?.spec ?? fallback : fallback
            }
        }
        return DirectionFraming(clientToServer: side(.clientToServer), serverToClient: side(.serverToClient))
    }

    /// `--framing` as given when both directions agree, else both.
    public var description: String {
        if clientToServer == serverToClient { return clientToServer?.description ?? "none given" }
        return "c2s \(clientToServer?.description ?? "none given"), s2c \(serverToClient?.description ?? "none given")"
    }
}
