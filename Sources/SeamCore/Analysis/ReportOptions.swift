/// What `seam report` was asked for.
public struct ReportOptions: Sendable {
    /// How to cut each direction's bytes into messages (`--framing`, `--framing-c2s`, `--framing-s2c`): a spec,
    /// or `auto` (detect it). A direction with none: the sender's own send calls where observed, else what
    /// `detectsUnframed` finds.
    public var framing: FramingRequest
    /// Where no framing was given and the sender's calls were not observed (a plain capture): detect the
    /// framing, and frame by it when it fits clearly (`FramingDetection.isClear`); the report says so. Such a
    /// framing gives observations only: it declares no request/response pairing, so no `unanswered` verdict.
    public var detectsUnframed = true
    /// What-if: a reader doing `recv(N)` as soon as data arrives, where no reads were observed.
    public var recvSize: Int?
    /// Each client message expects one server message (`--pairing`), for a framing that does not say so itself
    /// (the built-in request/response framings do); needed for the `unanswered` verdict.
    public var pairsRequests = false
    /// Only these flows (ids as the report prints them: `tcp.3`, `udp.0`, `conn1.app`), spelled out in full;
    /// nil: every flow.
    public var flows: Set<String>?
    /// Flows (in report order) whose findings are spelled out with evidence and facts; later flows' findings are
    /// brief, so the report of a 2 GB capture stays small. Not applied when `flows` picks some.
    public var detailedFlows = 1_000
    /// Findings per direction spelled out, within those flows; the rest are brief.
    public var detailedFindingsPerDirection = 1_000
    /// Whether a plain capture's flows are analysed as they close, keeping only their reports (the
    /// default, so memory follows the open flows); off, every flow is analysed at the end. Tests compare.
    var analysesFlowsAsTheyClose = true
    /// Threads that analyse closed flows while the file is read (`AnalysisPool`); 1: all on the reading thread.
    /// The report is the same either way. Used for a plain capture read into a report (`ReportBuilder`), not for
    /// a session's calls or a live analysis (`SessionAnalyzer.onFlowReport`).
    public var analysisWorkers = 1

    /// Options with one framing for both directions (or none).
    public init(framing: FramingSpec? = nil, recvSize: Int? = nil, flows: Set<String>? = nil) {
        self.init(
            framing: framing.map(FramingRequest.both) ?? FramingRequest(clientToServer: nil, serverToClient: nil),
            recvSize: recvSize, flows: flows)
    }

    /// Options with a framing choice per direction.
    public init(framing: FramingRequest, recvSize: Int? = nil, flows: Set<String>? = nil) {
        self.framing = framing
        self.recvSize = recvSize
        self.flows = flows
    }
}
