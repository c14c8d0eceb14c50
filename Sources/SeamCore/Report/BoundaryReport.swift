/// The report of `seam report`: first the verdicts (programs that mishandled the stream), then for every
/// flow and direction the four layers on one byte axis, the observations of how the bytes were delivered,
/// and each message's delivery record. One model; text, JSON and HTML render it (`BoundaryReport+Text`,
/// `+JSON`, `+HTML`).
public struct BoundaryReport: Sendable {
    /// The file analysed, as given.
    public var file: String
    /// The framing given with `--framing`, `--framing-c2s`, `--framing-s2c` (or named by the session), if any.
    public var framing: FramingRequest?
    /// `--recv-size N` what-if, if given.
    public var whatIfRecvSize: Int?
    /// The layers observed anywhere in the file, in flow order.
    public var layers: [Layer]
    public var flows: [FlowReport]
    /// Facts about the whole file: layers not observed, what could not be read, the session's settings.
    public var notes: [ReportNote]
    /// The fault that ended reading early, if any (everything before it is in the report).
    public var failure: String?
    /// Packets the capture lost (from the session's statistics), if known.
    public var captureDrops: UInt64?

    public init(
        file: String, framing: FramingRequest?, whatIfRecvSize: Int?, layers: [Layer], flows: [FlowReport],
        notes: [ReportNote], failure: String?, captureDrops: UInt64?
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

    /// Every verdict of the report, flow by flow, in time order within a flow.
    public var verdicts: [Verdict] { flows.flatMap(\.verdicts) }

    /// How many flows have at least one verdict.
    public var flowsWithVerdicts: Int { flows.filter { !$0.verdicts.isEmpty }.count }

    /// Every observation of the report.
    public var observationCount: Int {
        flows.reduce(0) { $0 + $1.clientToServer.observations.count + $1.serverToClient.observations.count }
    }
}

/// One flow (one leg of a proxied connection, or a flow of a plain capture).
public struct FlowReport: Sendable {
    /// `tcp.N` / `udp.N` as Wireshark numbers them; for a leg the capture did not see, `conn1.downstream`.
    public var id: String
    public var proto: Transport
    /// The proxy connection this flow belongs to, if it was proxied.
    public var connection: Int?
    /// `downstream`, `upstream`, `app`, or nil for a plain capture.
    public var leg: Leg?
    /// Who each side is: its endpoint, whether it is a program or the proxy, its process.
    public var clientPeer: FlowPeer
    public var serverPeer: FlowPeer
    public var clientIsGuessed: Bool
    public var start: Timestamp?
    public var clientToServer: DirectionReport
    public var serverToClient: DirectionReport
    /// What the programs of this flow mishandled, in time order.
    public var verdicts: [Verdict]

    public init(
        id: String, proto: Transport, connection: Int?, leg: Leg?, clientPeer: FlowPeer, serverPeer: FlowPeer,
        clientIsGuessed: Bool, start: Timestamp?, clientToServer: DirectionReport, serverToClient: DirectionReport,
        verdicts: [Verdict] = []
    ) {
        self.id = id
        self.proto = proto
        self.connection = connection
        self.leg = leg
        self.clientPeer = clientPeer
        self.serverPeer = serverPeer
        self.clientIsGuessed = clientIsGuessed
        self.start = start
        self.clientToServer = clientToServer
        self.serverToClient = serverToClient
        self.verdicts = verdicts
    }

    public var client: Endpoint { clientPeer.endpoint }
    public var server: Endpoint { serverPeer.endpoint }

    public func direction(_ direction: Direction) -> DirectionReport {
        direction == .clientToServer ? clientToServer : serverToClient
    }

    public func peer(_ side: Side) -> FlowPeer { side == .client ? clientPeer : serverPeer }

    /// Drops the ranges of each direction with a lane too long for the text report to draw (more than
    /// `LaneDrawing.maximumRanges`); see `DirectionReport.dropRanges()`. Small directions keep theirs: they
    /// are drawn, and cost little.
    public mutating func dropRangesIfLarge() {
        for direction in Direction.allCases {
            let lanes = LaneDrawing.laneCounts(self.direction(direction).timeline)
            guard lanes.contains(where: { $0.count > LaneDrawing.defaultMaximumRanges }) else { continue }
            if direction == .clientToServer {
                clientToServer.dropRanges(laneCounts: lanes)
            } else {
                serverToClient.dropRanges(laneCounts: lanes)
            }
        }
    }

    /// Makes the observations of this flow brief: all of them past `detailedFlows`, else those past
    /// `detailedFindingsPerDirection` in each direction. Verdicts are always kept whole. Returns how many were
    /// made brief.
    @discardableResult
    mutating func limitDetails(position: Int, options: ReportOptions) -> Int {
        guard options.flows == nil else { return 0 }
        let keep = position < options.detailedFlows ? options.detailedFindingsPerDirection : 0
        var made = 0
        for direction in [\FlowReport.clientToServer, \FlowReport.serverToClient] {
            for index in self[keyPath: direction].observations.indices.dropFirst(keep) {
                self[keyPath: direction].observations[index].makeBrief()
                made += 1
            }
            if position >= options.detailedFlows { self[keyPath: direction].deliveries = [] }
        }
        return made
    }

    /// A RST that came after the flow had closed on both FINs (its report was already made): recorded as the
    /// analysis would have, had it come before (the reset time, and the last fact of every observation).
    mutating func noteLateReset(at time: Timestamp, by side: Side?) {
        guard proto == .tcp, clientToServer.timeline.resetTime == nil else { return }
        for direction in [\FlowReport.clientToServer, \FlowReport.serverToClient] {
            self[keyPath: direction].timeline.resetTime = time
            self[keyPath: direction].timeline.resetSide = side
            for index in self[keyPath: direction].observations.indices {
                self[keyPath: direction].observations[index].facts.append(.reset(time: time, by: side))
            }
        }
    }
}

/// One direction of a flow: its lanes, observations and delivery records.
public struct DirectionReport: Sendable {
    public var timeline: DirectionTimeline
    public var observations: [Observation]
    /// Each message's delivery record (empty once the ranges are dropped or the flow is past the detailed ones).
    public var deliveries: [Delivery]
    /// The time budgets of the direction's messages, summed up (kept when the records go).
    public var budget: DeliveryBudget
    /// The observation counts by kind, layer and cause (kept whatever else is dropped).
    public let observationCounts: [ObservationCount]
    /// The layer counts, kept here once `dropRanges()` has let the ranges themselves go.
    private var keptCounts: Counts?

    /// What the renderers print of a direction whose ranges were dropped.
    private struct Counts: Sendable {
        var sends: Int?
        var segments: Int?
        var recvs: Int?
        var messages: Int
        var incompleteMessages: Int
        var zeroWindows: Int
        var lanes: [(name: String, count: Int)]
    }

    /// Fills each observation's `messageSummaries` from the timeline's messages: the observations then read
    /// alone, whether or not the ranges are kept.
    public init(timeline: DirectionTimeline, observations: [Observation], deliveries: [Delivery] = []) {
        self.timeline = timeline
        self.observations = observations.map { observation in
            var observation = observation
            observation.messageSummaries = observation.messageRange.prefix(4).compactMap { index in
                index >= 0 && index < timeline.messages.count ? timeline.messages[index].summary : nil
            }
            return observation
        }
        self.deliveries = deliveries
        self.budget = DeliveryBudget(deliveries)
        self.observationCounts = ObservationCount.counts(of: observations)
    }

    public var bytes: UInt64 { timeline.bytes }
    public var sendCount: Int? { keptCounts.map(\.sends) ?? timeline.sends?.count }
    public var segmentCount: Int? { keptCounts.map(\.segments) ?? timeline.segments?.count }
    public var recvCount: Int? { keptCounts.map(\.recvs) ?? timeline.recvs?.count }
    public var messageCount: Int { keptCounts?.messages ?? timeline.messages.count }
    public var incompleteMessageCount: Int {
        keptCounts?.incompleteMessages ?? timeline.messages.reduce(0) { $0 + ($1.isComplete ? 0 : 1) }
    }
    public var zeroWindowCount: Int { keptCounts?.zeroWindows ?? timeline.zeroWindowTimes.count }
    /// Whether the per-range layers are still here to draw (see `dropRanges()`).
    public var hasRanges: Bool { keptCounts == nil }
    /// The text report's lane counts, once the ranges are dropped.
    var keptLaneCounts: [(name: String, count: Int)]? { keptCounts?.lanes }
    public var isEmpty: Bool {
        timeline.bytes == 0 && (segmentCount ?? 0) == 0 && (sendCount ?? 0) == 0 && (recvCount ?? 0) == 0
    }

    /// Lets the sends, segments, recvs, messages, window edges, zero-window times and delivery records go,
    /// keeping their counts, the observations and everything else the renderers print. The report builder
    /// calls it for a direction that no renderer will draw range by range, so a report of a 2 GB capture
    /// stays small.
    public mutating func dropRanges() {
        dropRanges(laneCounts: LaneDrawing.laneCounts(timeline))
    }

    /// `dropRanges()` with the lane counts already worked out (they sort the segments).
    mutating func dropRanges(laneCounts: [(name: String, count: Int)]) {
        guard keptCounts == nil else { return }
        keptCounts = Counts(
            sends: sendCount, segments: segmentCount, recvs: recvCount, messages: messageCount,
            incompleteMessages: incompleteMessageCount, zeroWindows: zeroWindowCount, lanes: laneCounts)
        // Empty, not nil: nil means "not observed", which these layers were.
        if timeline.sends != nil { timeline.sends = [] }
        if timeline.segments != nil { timeline.segments = [] }
        if timeline.recvs != nil { timeline.recvs = [] }
        if timeline.messageSends != nil { timeline.messageSends = [] }
        timeline.messages = []
        timeline.windowEdges = []
        timeline.zeroWindowTimes = []
        deliveries = []
    }
}

/// How many observations of one kind, at one layer, for one cause a direction has.
public struct ObservationCount: Hashable, Sendable {
    public var kind: Observation.Kind
    public var layer: Layer
    public var cause: Observation.Cause
    public var isWhatIf: Bool
    /// Observations of this kind, and the message boundaries (coalesced) or messages (split) they concern.
    public var count: Int
    public var messages: Int

    /// What a count counts: observations of one kind, layer, cause and what-if.
    struct Key: Hashable {
        var kind: Observation.Kind
        var layer: Layer
        var cause: Observation.Cause
        var isWhatIf: Bool
    }

    var key: Key { Key(kind: kind, layer: layer, cause: cause, isWhatIf: isWhatIf) }

    static func counts(of observations: [Observation]) -> [ObservationCount] {
        var counts: [ObservationCount] = []
        var index: [Key: Int] = [:]
        for observation in observations {
            let key = Key(
                kind: observation.kind, layer: observation.layer, cause: observation.cause,
                isWhatIf: observation.isWhatIf)
            let messages = observation.kind == .coalesced ? observation.messageRange.count - 1 : 1
            if let at = index[key] {
                counts[at].count += 1
                counts[at].messages += messages
            } else {
                index[key] = counts.count
                counts.append(
                    ObservationCount(
                        kind: observation.kind, layer: observation.layer, cause: observation.cause,
                        isWhatIf: observation.isWhatIf, count: 1, messages: messages))
            }
        }
        return counts
    }
}
