/// A fact about the whole report, typed; the renderers put it into words (`ReportNote+Text`).
public enum ReportNote: Hashable, Sendable {
    /// No calls in the file: only the segments could be compared.
    case plainCapture
    /// Calls but no segments: the capture was off or not permitted.
    case noSegments
    /// Directions whose messages are unknown: no framing was given and the sender's own calls were not observed.
    case messagesUnknown
    /// A proxy session without the programs' own calls: the proxy's reads and writes are its own, so the
    /// programs' reads (what verdicts need) were not observed.
    case programsNotObserved
    /// Call records that could not be read.
    case unreadableCalls(Int)
    /// Observations past the first `flows` flows (or `perDirection` of a direction) kept brief.
    case briefObservations(count: Int, flows: Int, perDirection: Int)
    /// Segments that came after their flow had closed and gone quiet, with the new bytes among them.
    case lateSegments(count: Int, newBytes: UInt64)
    /// Call records that began after this many flows had closed: those are shown without calls.
    case callsAfterFlowsClosed(Int)
    /// A connect that failed (`call=error op=connect`): on a proxy's upstream leg, nothing of the
    /// connection was relayed, so its flows are bare.
    case connectFailed(connection: Int, leg: Leg, to: String?, failure: CallFailure)
    /// The session's settings.
    case session(SessionSettings)
    /// What the capture held besides TCP and UDP, or could not decode.
    case capture(CaptureNote)
}

/// What a capture held that is not a TCP or UDP flow, counted (shared by `seam inspect` and `seam report`).
public enum CaptureNote: Hashable, Sendable {
    case unsupportedLinkType(LinkType, count: Int)
    case notIP(count: Int)
    case otherIP(count: Int)
    case malformed(problem: String, count: Int)
    case fragments(count: Int)

    /// The notes for what a scan found.
    static func notes(for table: FlowTable) -> [CaptureNote] {
        var notes: [CaptureNote] = []
        for (type, count) in table.unsupportedLinkTypes.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            notes.append(.unsupportedLinkType(type, count: count))
        }
        if table.notIPPackets > 0 { notes.append(.notIP(count: table.notIPPackets)) }
        if table.otherIPPackets > 0 { notes.append(.otherIP(count: table.otherIPPackets)) }
        for (problem, count) in table.malformed.sorted(by: { $0.key < $1.key }) {
            notes.append(.malformed(problem: problem, count: count))
        }
        if table.heldFragments > 0 { notes.append(.fragments(count: table.heldFragments)) }
        return notes
    }
}
