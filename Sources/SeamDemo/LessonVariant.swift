import SeamCore

/// One program of a lesson, played for real: the buggy one, its fix, or — for a lesson with no bug to show —
/// the only one. It holds its peers, how the report cuts and pairs the messages, and what the report must say:
/// the verdicts, exactly (none for a fix), and the observations it shows.
public struct LessonVariant: Sendable {
    /// What the variant is to its lesson.
    public enum Role: String, Sendable {
        /// The classic mistake: the report must name it with a verdict.
        case bug
        /// The same exchange done right: no verdict, whatever the observations.
        case fix
        /// A lesson with no bug (echo, UDP echo, empty messages): no verdict either.
        case correct

        /// `bug`, `fix`, `no bug`: how `seam demo` labels the variant.
        public var label: String { self == .correct ? "no bug" : rawValue }
    }

    public var role: Role
    /// Its name on the command line (`--variant bug`) and in file names (`sender-coalescing-bug.pcapng`).
    public var name: String
    /// One line for `seam demo --list`: what this program does.
    public var summary: String
    /// What the peers do, printed before they run.
    public var happens: String
    /// What happened, which program did it, why, and the fix; printed after the verdicts.
    public var explanation: String
    /// The framing spec of the report (`struct:i`); `nil`: messages are the senders' send calls.
    public var framing: String?
    /// Each client message expects one server message (`seam report --pairing`): what `unanswered` needs.
    public var pairsRequests: Bool
    /// The proxies between the peers, in the order the variant starts them.
    public var proxies: [ProxySetup]
    /// Whether the peers' own calls go into the session (`leg=app`); off, the session is what a plain
    /// `seam proxy` records: the proxy's calls and the capture.
    public var recordsPeerCalls: Bool
    /// The verdicts the report must hold when every layer was observed, exactly (order does not matter).
    public var verdicts: [Verdict.Kind]
    /// Observations the report must hold when every layer was observed (others may come too).
    public var observations: [ExpectedFinding]
    /// When set, the report must hold exactly this many observations.
    public var exactObservationCount: Int?
    /// The peers: they run on the calling thread and on threads of `LessonContext.spawn`.
    let play: @Sendable (LessonContext) throws -> Void

    init(
        _ role: Role,
        name: String? = nil,
        summary: String,
        happens: String,
        explanation: String,
        framing: String? = nil,
        pairsRequests: Bool = false,
        proxies: [ProxySetup] = [ProxySetup()],
        recordsPeerCalls: Bool = true,
        verdicts: [Verdict.Kind] = [],
        observations: [ExpectedFinding] = [],
        exactObservationCount: Int? = nil,
        play: @escaping @Sendable (LessonContext) throws -> Void
    ) {
        self.role = role
        self.name = name ?? role.rawValue
        self.summary = summary
        self.happens = happens
        self.explanation = explanation
        self.framing = framing
        self.pairsRequests = pairsRequests
        self.proxies = proxies
        self.recordsPeerCalls = recordsPeerCalls
        self.verdicts = verdicts
        self.observations = observations
        self.exactObservationCount = exactObservationCount
        self.play = play
    }

    /// The parsed framing, if any.
    public var framingSpec: FramingSpec? {
        get throws { try framing.map { try FramingSpec(parsing: $0) } }
    }

    /// The report options of this variant: its framing and its pairing.
    public var reportOptions: ReportOptions {
        get throws {
            var options = ReportOptions(framing: try framingSpec)
            options.pairsRequests = pairsRequests
            return options
        }
    }

    /// The boundary report of a session file of this variant, with its framing and pairing.
    public func report(of path: String) throws -> BoundaryReport {
        try ReportBuilder.build(path: path, options: try reportOptions)
    }
}
