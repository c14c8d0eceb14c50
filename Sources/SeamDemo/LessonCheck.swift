import SeamCore

/// A variant's report set against what the variant promises: exactly its verdicts (none for a fix), its
/// expected observations, and, when it says so, the exact number of observations — as far as the layers that
/// were observed allow.
public struct LessonCheck: Sendable {
    /// The verdict kinds the variant must get, sorted.
    public var expectedVerdicts: [Verdict.Kind]
    /// The verdict kinds the report holds, sorted.
    public var verdicts: [Verdict.Kind]
    /// Expected observations the report does not hold.
    public var missing: [ExpectedFinding]
    /// When the variant fixes the count of observations and the report differs: (expected, got).
    public var wrongCount: (expected: Int, got: Int)?

    public var passed: Bool { verdicts == expectedVerdicts && missing.isEmpty && wrongCount == nil }

    /// Checks `report` against `variant`. Without the segment layer (no capture) the observations of that layer
    /// are not expected, nor an exact count; and a variant that keeps no peer call (proxy-only) then has nothing
    /// to judge, so no verdict is expected of it.
    public init(variant: LessonVariant, report: BoundaryReport) {
        let captured = report.layers.contains(.segment) || report.layers.contains(.datagram)
        let expected = captured || variant.recordsPeerCalls ? variant.verdicts : []
        expectedVerdicts = expected.sorted { $0.rawValue < $1.rawValue }
        verdicts = report.verdicts.map(\.kind).sorted { $0.rawValue < $1.rawValue }
        let observations = report.flows.flatMap { $0.clientToServer.observations + $0.serverToClient.observations }
        missing = variant.observations.filter { expected in
            (captured || (expected.layer != .segment && expected.layer != .datagram))
                && !observations.contains { expected.matches($0) }
        }
        if captured, let exact = variant.exactObservationCount, exact != observations.count {
            wrongCount = (exact, observations.count)
        } else {
            wrongCount = nil
        }
    }

    /// One line per problem; empty when the check passed.
    public var problems: [String] {
        var problems: [String] = []
        if verdicts != expectedVerdicts {
            problems.append(
                "expected verdicts [\(Self.words(expectedVerdicts))], the report has [\(Self.words(verdicts))]"
            )
        }
        problems += missing.map { "expected observation missing: \($0)" }
        if let wrongCount {
            problems.append("expected \(wrongCount.expected) observations, the report has \(wrongCount.got)")
        }
        return problems
    }

    private static func words(_ kinds: [Verdict.Kind]) -> String { kinds.map(\.rawValue).joined(separator: ", ") }
}
