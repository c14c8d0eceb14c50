/// The report of `seam report`: for every flow and direction, the four layers on one byte axis and the
/// findings. One model; text, JSON and HTML render it (`BoundaryReport+Text`, `+JSON`, `+HTML`).
public struct BoundaryReport: Sendable {
    /// The file analysed, as given.
    public var file: String
    /// The framing spec given with `--framing`, if any.
    public var framing: FramingSpec?
    /// `--recv-size N` what-if, if given.
    public var whatIfRecvSize: Int?
    /// The layers observed anywhere in the file, in flow order.
    public var layers: [Layer]
    public var flows: [FlowReport]
    /// Facts about the whole file: capture drops, layers not observed, what could not be read.
    public var notes: [String]
    /// The fault that ended reading early, if any (everything before it is in the report).
    public var failure: String?
    /// Packets the capture lost (from the session's statistics), if known.
    public var captureDrops: UInt64?

    public init(
        file: String, framing: FramingSpec?, whatIfRecvSize: Int?, layers: [Layer], flows: [FlowReport],
        notes: [String], failure: String?, captureDrops: UInt64?
    ) {
        self.file = file
        self.framing = framing
        self.whatIfRecvSize = whatIfRecvSize
        self.layers = layers
        self.flows = flows
        self.notes = notes
        self.failure = failure
        self.captureDrops = captureDrops
    }

    /// Every finding of the report.
    public var findingCount: Int { flows.reduce(0) { $0 + $1.clientToServer.findings.count + $1.serverToClient.findings.count } }
}

/// One flow (one leg of a proxied connection, or a flow of a plain capture).
public struct FlowReport: Sendable {
    /// `tcp.N` / `udp.N` as Wireshark numbers them; for a leg the capture did not see, `conn1.downstream`.
    public var id: String
    public var proto: FlowProtocol
    /// The proxy connection this flow belongs to, if it was proxied.
    public var connection: Int?
    /// `downstream`, `upstream`, `app`, or nil for a plain capture.
    public var leg: String?
    public var client: Endpoint
    public var server: Endpoint
    public var clientIsGuessed: Bool
    public var start: Timestamp?
    public var clientToServer: DirectionReport
    public var serverToClient: DirectionReport

    public init(
        id: String, proto: FlowProtocol, connection: Int?, leg: String?, client: Endpoint, server: Endpoint,
        clientIsGuessed: Bool, start: Timestamp?, clientToServer: DirectionReport, serverToClient: DirectionReport
    ) {
        self.id = id
        self.proto = proto
        self.connection = connection
        self.leg = leg
        self.client = client
        self.server = server
        self.clientIsGuessed = clientIsGuessed
        self.start = start
        self.clientToServer = clientToServer
        self.serverToClient = serverToClient
    }

    public func direction(_ direction: Direction) -> DirectionReport {
        direction == .clientToServer ? clientToServer : serverToClient
    }
}

/// One direction of a flow: its lanes and findings.
public struct DirectionReport: Sendable {
    public var timeline: DirectionTimeline
    public var findings: [Finding]

    public init(timeline: DirectionTimeline, findings: [Finding]) {
        self.timeline = timeline
        self.findings = findings
    }

    public var bytes: UInt64 { timeline.bytes }
    public var sendCount: Int? { timeline.sends?.count }
    public var segmentCount: Int? { timeline.segments?.count }
    public var recvCount: Int? { timeline.recvs?.count }
    public var messageCount: Int { timeline.messages.count }
    /// Whether anything at all happened in this direction.
    public var isEmpty: Bool {
        timeline.bytes == 0 && (timeline.segments?.isEmpty ?? true) && (timeline.sends?.isEmpty ?? true)
            && (timeline.recvs?.isEmpty ?? true)
    }
}
