/// One place where a message boundary was lost (or a datagram went wrong), with its cause and evidence.
public struct Finding: Hashable, Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        /// One range of a layer holds bytes of two or more messages (sticky packet).
        case coalesced
        /// One message spans two or more ranges of a layer.
        case split
        /// A `recvfrom(N)` shorter than the datagram lost its tail.
        case truncated
        /// A datagram sent (or captured) was never received.
        case lost
        /// Datagrams arrived in another order than they were sent.
        case reordered
        /// A datagram arrived more than once.
        case duplicated
        /// A message the stream ended or a gap cut before it was whole.
        case incomplete
    }

    public enum Cause: String, Sendable, CaseIterable {
        /// One segment (or one send) carried several messages: Nagle, cork/MSG_MORE, or one write of both.
        case senderCoalescing = "sender-coalescing"
        /// Each message had its own segments, but one late read took them together.
        case receiverBacklog = "receiver-backlog"
        /// The message was longer than the maximum segment size.
        case mss
        /// The receiver's window was full.
        case window
        /// A send returned less than asked, so the rest of the message went in later calls.
        case partialSend = "partial-send"
        /// The sender wrote one message in several calls, each taken whole.
        case splitWrite = "split-write"
        /// The read's buffer was smaller than the message.
        case recvBuffer = "recv-buffer"
        /// The read came while only part of the message had arrived.
        case earlyReader = "early-reader"
        /// A `recvfrom(N)` with N smaller than the datagram.
        case recvfromSize = "recvfrom-size"
        /// The capture or the stream ended inside the message.
        case endOfStream = "end-of-stream"
        /// The capture missed bytes inside the message.
        case captureGap = "capture-gap"
        /// The network (or the receiver's buffer) dropped, reordered or duplicated it.
        case transit
    }

    public var kind: Kind
    public var layer: Layer
    public var cause: Cause
    /// Indexes of the messages involved (in the direction's message list): always consecutive, so kept as a
    /// range (one segment of a bulk transfer can swallow thousands of boundaries).
    public var messageRange: Range<Int>
    /// `messageRange` as a list.
    public var messages: [Int] { Array(messageRange) }
    /// The byte range on the direction's axis that shows it (the coalescing range, or the split message).
    public var range: Range<UInt64>
    public var time: Timestamp?
    /// The numbers behind the cause, in one sentence.
    public var evidence: String
    /// TCP facts seen in the range: retransmission, out-of-order, gap, zero-window, reset.
    public var facts: [String]
    /// Whether it comes from a `--recv-size` what-if rather than an observed read.
    public var isWhatIf: Bool
    /// Summaries of the first four of `messages` (where the framing gave one), as the report quotes them.
    /// `DirectionReport` fills them in.
    public var messageSummaries: [String] = []
    /// A brief finding keeps what, where and when, without evidence, facts or summaries: a report of a huge
    /// capture spells out only its first flows' findings (`ReportOptions.detailedFlows`).
    public private(set) var isBrief = false

    /// Lets the evidence, facts and summaries go.
    public mutating func makeBrief() {
        isBrief = true
        evidence = ""
        facts = []
        messageSummaries = []
    }

    /// `messages` must be consecutive (the first to the last are taken).
    public init(
        kind: Kind, layer: Layer, cause: Cause, messages: [Int], range: Range<UInt64>, time: Timestamp?,
        evidence: String, facts: [String] = [], isWhatIf: Bool = false
    ) {
        self.init(
            kind: kind, layer: layer, cause: cause, messageRange: (messages.first ?? 0)..<((messages.last ?? -1) + 1),
            range: range, time: time, evidence: evidence, facts: facts, isWhatIf: isWhatIf)
    }

    public init(
        kind: Kind, layer: Layer, cause: Cause, messageRange: Range<Int>, range: Range<UInt64>, time: Timestamp?,
        evidence: String, facts: [String] = [], isWhatIf: Bool = false
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
}
