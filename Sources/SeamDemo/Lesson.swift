import SeamCore

/// One classic socket lesson, played for real on 127.0.0.1: the peers, the proxy settings, the framing
/// the report uses, what the report must find, and the words around it.
public struct Lesson: Sendable {
    /// The name on the command line (`sender-coalescing`).
    public var name: String
    public var title: String
    /// One line for `seam demo --list`.
    public var summary: String
    /// What the peers do, printed before they run.
    public var happens: String
    /// What happened, at which layer, why, and the fix; printed after the report.
    public var explanation: String
    /// The framing spec of the report (`line`, `struct:i`); `nil`: messages are the send calls.
    public var framing: String?
    /// The proxies between the peers, in the order the lesson starts them.
    public var proxies: [ProxySetup]
    /// Findings the report must hold when every layer was observed (capture on).
    public var expected: [ExpectedFinding]
    /// When set, the report (capture on) must hold exactly this many findings.
    public var exactFindingCount: Int?
    /// The peers: they run on the calling thread and on threads of `LessonContext.spawn`.
    let play: @Sendable (LessonContext) throws -> Void

    init(
        name: String,
        title: String,
        summary: String,
        happens: String,
        explanation: String,
        framing: String? = nil,
        proxies: [ProxySetup] = [ProxySetup()],
        expected: [ExpectedFinding] = [],
        exactFindingCount: Int? = nil,
        play: @escaping @Sendable (LessonContext) throws -> Void
    ) {
        self.name = name
        self.title = title
        self.summary = summary
        self.happens = happens
        self.explanation = explanation
        self.framing = framing
        self.proxies = proxies
        self.expected = expected
        self.exactFindingCount = exactFindingCount
        self.play = play
    }

    /// The parsed framing, if any.
    public var framingSpec: FramingSpec? {
        get throws { try framing.map { try FramingSpec(parsing: $0) } }
    }
}
