/// How the bytes of one direction were delivered, where that differs from the messages: a boundary one range
/// of a layer swallowed (`coalesced`, the "sticky packet"), a message spread over several ranges (`split`),
/// and for datagrams `lost`, `reordered`, `duplicated` (and a what-if `truncated`). TCP coalesces and splits
/// as a matter of course: an observation is never a red mark. It says what happened, where, and — only where
/// the layers prove it — why (`cause`). Wireshark's expert info calls this level "chat" and "note".
public struct Observation: Hashable, Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        /// One range of a layer holds bytes of two or more messages.
        case coalesced
        /// One message spans two or more ranges of a layer.
        case split
        /// A message the stream ended, or a gap cut, before it was whole.
        case incomplete
        /// What-if only: a `recvfrom(N)` shorter than the datagram would lose its tail.
        case truncated
        /// A datagram sent (or captured) was never received.
        case lost
        /// Datagrams arrived in another order than they were sent.
        case reordered
        /// A datagram arrived more than once.
        case duplicated
    }

    /// Why, stated only with the evidence that proves it; `unexplained` when the layers observed cannot tell.
    public enum Cause: String, Sendable, CaseIterable {
        /// One segment (or one send) carried several messages: Nagle, cork/MSG_MORE, or one write of both.
        case senderCoalescing = "sender-coalescing"
        /// Each message had its own segments, but the bytes waited in the receiver's buffer and one late read
        /// took them together (the wait is at least `ObservationThresholds.backlog`).
        case receiverBacklog = "receiver-backlog"
        /// The messages arrived within a moment of each other and one read took them as soon as it ran.
        case arrivedTogether = "arrived-together"
        /// A segment of the message reached the path's MSS (or the largest segment the capture saw).
        case mss
        /// The receiver's window was full or zero while the message went out.
        case window
        /// A send returned less than asked, so the rest of the message went in later calls.
        case partialSend = "partial-send"
        /// The sender wrote the message in several calls, each taken whole.
        case splitWrite = "split-write"
        /// A read asked for fewer bytes than the message.
        case recvBuffer = "recv-buffer"
        /// A read came while only part of the message had arrived.
        case earlyReader = "early-reader"
        /// A `recvfrom(N)` with N smaller than the datagram (what-if).
        case recvfromSize = "recvfrom-size"
        /// The capture or the stream ended inside the message.
        case endOfStream = "end-of-stream"
        /// The capture missed bytes inside the message.
        case captureGap = "capture-gap"
        /// The network (or the receiver's buffer) dropped, reordered or duplicated it.
        case transit
        /// `seam proxy --rechunk` cut or joined the bytes on purpose.
        case rechunk
        /// The layers observed do not show why (the sender's calls were not observed, and no segment reached
        /// the MSS or the window).
        case unexplained
    }

    public var kind: Kind
    public var layer: Layer
    public var cause: Cause
    /// Indexes of the messages involved (in the direction's message list): consecutive, so kept as a range
    /// (one segment of a bulk transfer can swallow thousands of boundaries).
    public var messageRange: Range<Int>
    /// `messageRange` as a list.
    public var messages: [Int] { Array(messageRange) }
    /// The byte range on the direction's axis that shows it (the coalescing range, or the split message).
    public var range: Range<UInt64>
    public var time: Timestamp?
    /// The numbers behind it; the renderers turn them into words. `nil` once made brief.
    public var evidence: ObservationEvidence?
    /// TCP facts seen in the range.
    public var facts: [TCPFact]
    /// Whether it comes from a what-if (`--recv-size`, or the proxy's UDP `--recv-size` without truncation).
    public var isWhatIf: Bool
    /// Summaries of the first four of `messages` (where the framing gave one), as the report quotes them.
    public var messageSummaries: [String] = []

    public init(
        kind: Kind, layer: Layer, cause: Cause, messageRange: Range<Int>, range: Range<UInt64>, time: Timestamp?,
        evidence: ObservationEvidence?, facts: [TCPFact] = [], isWhatIf: Bool = false
    ) {
        self.kind = kind
        self.layer = layer
        self.cause = cause
        self.messageRange = messageRange
        self.range = range
        self.time = time
        self.evidence = evidence
        self.facts = facts
        self.isWhatIf = isWhatIf
    }

    /// Whether its evidence was let go (a report of a huge capture keeps only what, where and when).
    public var isBrief: Bool { evidence == nil }

    /// Lets the evidence, facts and summaries go.
    public mutating func makeBrief() {
        evidence = nil
        facts = []
        messageSummaries = []
    }
}

/// The thresholds the observations state in the report.
public enum ObservationThresholds {
    /// A read that came this long or longer after the first message it returned was whole is a receiver
    /// backlog; sooner, the messages arrived together.
    public static let backlogNanoseconds: Int64 = 1_000_000
}
