/// One application message found by a framing, as a range on its direction's byte axis.
public struct FramedMessage: Hashable, Sendable, CustomStringConvertible {
    /// Where the message lies on the direction's byte axis (offset 0 = first payload byte).
    public var range: Range<UInt64>
    /// `false` when bytes of the message are missing (a gap in the capture) or the stream ended before the
    /// message did; `range` then covers what the framing knows of it.
    public var isComplete: Bool
    /// A short hint for reports: the first bytes of a line, RESP command words, an HTTP start line; `nil` for
    /// binary framings. At most about 64 characters.
    public var summary: String? {
        get { summaryStorage.text }
        set { summaryStorage = MessageSummary(newValue) }
    }
    /// The summary as kept: a delimiter framing keeps a line's first bytes and escapes them when asked.
    var summaryStorage: MessageSummary
    /// Its part in a request/response exchange, for framings that pair them (`FramingSpec.pairing`); `nil` for
    /// messages that are neither and for framings that do not pair.
    public var exchange: MessageExchange?

    /// A message at `range`, complete unless told otherwise.
    public init(
        range: Range<UInt64>,
        isComplete: Bool = true,
        summary: String? = nil,
        exchange: MessageExchange? = nil
    ) {
        self.range = range
        self.isComplete = isComplete
        self.summaryStorage = MessageSummary(summary)
        self.exchange = exchange
    }

    /// A message whose summary is made from `head` when read.
    init(range: Range<UInt64>, head: SummaryHead) {
        self.range = range
        self.isComplete = true
        self.summaryStorage = .head(head)
        self.exchange = nil
    }

    /// The message's length in bytes.
    public var length: UInt64 { range.upperBound - range.lowerBound }

    /// `[start, end)`, then `incomplete` and the quoted summary when there are.
    public var description: String {
        var text = "[\(range.lowerBound), \(range.upperBound))"
        if !isComplete { text += " incomplete" }
        if let summary { text += " \"\(summary)\"" }
        return text
    }
}

extension FramedMessage {
    /// Equal when range, completeness, summary text and exchange are, however the summary is kept.
    public static func == (lhs: FramedMessage, rhs: FramedMessage) -> Bool {
        lhs.range == rhs.range && lhs.isComplete == rhs.isComplete && lhs.exchange == rhs.exchange
            && lhs.summary == rhs.summary
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(range)
        hasher.combine(isComplete)
        hasher.combine(summary)
        hasher.combine(exchange)
    }
}
