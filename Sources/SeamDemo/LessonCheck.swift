import SeamCore

/// A lesson's report set against what the lesson promises: its expected findings and, when it says so,
/// the exact number of findings.
public struct LessonCheck: Sendable {
    /// Expected findings the report does not hold.
    public var missing: [ExpectedFinding]
    /// When the lesson fixes the count and the report differs: (expected, got).
    public var wrongCount: (expected: Int, got: Int)?

    public var passed: Bool { missing.isEmpty && wrongCount == nil }

    /// Checks `report` against `lesson`. Meaningful when every layer was observed (capture on).
    public init(lesson: Lesson, report: BoundaryReport) {
        let findings = report.flows.flatMap { $0.clientToServer.observations + $0.serverToClient.observations }
        missing = lesson.expected.filter { expected in !findings.contains { expected.matches($0) } }
        if let exact = lesson.exactFindingCount, exact != findings.count {
            wrongCount = (exact, findings.count)
        } else {
            wrongCount = nil
        }
    }

    /// One line per problem; empty when the check passed.
    public var problems: [String] {
        missing.map { "expected finding missing: \($0)" }
            + (wrongCount.map { ["expected \($0.expected) findings, the report has \($0.got)"] } ?? [])
    }
}

extension Lesson {
    /// The boundary report of a session file of this lesson, with the lesson's framing.
    public func report(of path: String) throws -> BoundaryReport {
        try ReportBuilder.build(path: path, options: ReportOptions(framing: try framingSpec))
    }
}
