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
    public var proto: Transport
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
        id: String, proto: Transport, connection: Int?, leg: String?, client: Endpoint, server: Endpoint,
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

    /// Makes the findings of this flow brief: all of them past `detailedFlows`, else those past
    /// `detailedFindingsPerDirection` in each direction. Returns how many were made brief.
    @discardableResult
    mutating func limitDetails(position: Int, options: ReportOptions) -> Int {
        guard options.flows == nil else { return 0 }
        let keep = position < options.detailedFlows ? options.detailedFindingsPerDirection : 0
        var made = 0
        for direction in [\FlowReport.clientToServer, \FlowReport.serverToClient] {
            for index in self[keyPath: direction].findings.indices.dropFirst(keep) {
                self[keyPath: direction].findings[index].makeBrief()
                made += 1
            }
        }
        return made
    }

    /// A RST that came after the flow had closed on both FINs (its report was already made): recorded as the
    /// analysis would have, had it come before (the reset time, and the last fact of every finding).
    mutating func noteLateReset(at time: Timestamp) {
        guard proto == .tcp, clientToServer.timeline.resetTime == nil else { return }
        for direction in [\FlowReport.clientToServer, \FlowReport.serverToClient] {
            self[keyPath: direction].timeline.resetTime = time
            for index in self[keyPath: direction].findings.indices {
                self[keyPath: direction].findings[index].facts.append(Evidence.resetFact(time))
            }
        }
    }
}

/// One direction of a flow: its lanes and findings.
public struct DirectionReport: Sendable {
    public var timeline: DirectionTimeline
    public var findings: [Finding]
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

    /// Fills each finding's `messageSummaries` from the timeline's messages: the findings then read alone,
    /// whether or not the ranges are kept.
    public init(timeline: DirectionTimeline, findings: [Finding]) {
        self.timeline = timeline
        self.findings = findings.map { finding in
            var finding = finding
            finding.messageSummaries = finding.messageRange.prefix(4).compactMap { index in
                index >= 0 && index < timeline.messages.count ? timeline.messages[index].summary : nil
            }
            return finding
        }
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

    /// Lets the sends, segments, recvs, messages, window edges and zero-window times go, keeping their counts,
    /// the findings and everything else the renderers print. The report builder calls it for a direction that
    /// no renderer will draw range by range, so a report of a 2 GB capture stays small.
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
        timeline.messages = []
        timeline.windowEdges = []
        timeline.zeroWindowTimes = []
    }
}
