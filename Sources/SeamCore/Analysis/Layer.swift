/// The layers Seam puts on one byte axis, in the order data flows through them (DESIGN.md "The model").
public enum Layer: String, Sendable, Hashable, CaseIterable {
    /// One write call by the sender.
    case send
    /// One TCP segment as the kernel put it on the wire.
    case segment
    /// One UDP datagram as captured.
    case datagram
    /// One read call by the receiver and what it returned.
    case recv
    /// One application message.
    case message
}

/// One observation of a layer: a half-open byte range on its direction's axis, with when and how.
public struct LayerRange: Hashable, Sendable {
    public var range: Range<UInt64>
    public var time: Timestamp
    /// recv: the buffer size asked for (`recv(N)`); send: the bytes the caller asked to write.
    public var asked: Int?
    /// segment/datagram: the capture's frame number.
    public var frame: Int?
    /// segment: what reassembly said about it.
    public var marks: TCPSegmentMarks
    /// datagram recv: bytes a `recvfrom(N)` lost off the end of the datagram.
    public var truncatedBytes: Int
    /// datagram: a hash of the payload (0 when the payload was not recorded), to match datagrams across layers.
    public var payloadHash: UInt64
    /// send/recv: what the call's recorder knew beyond its range (thread, entry time, flags, kernel state,
    /// failure); `nil` for segments and for calls without it.
    public var call: CallDetail?

    public init(
        range: Range<UInt64>, time: Timestamp, asked: Int? = nil, frame: Int? = nil, marks: TCPSegmentMarks = [],
        truncatedBytes: Int = 0, payloadHash: UInt64 = 0, call: CallDetail? = nil
    ) {
        self.range = range
        self.time = time
        self.asked = asked
        self.frame = frame
        self.marks = marks
        self.truncatedBytes = truncatedBytes
        self.payloadHash = payloadHash
        self.call = call
    }

    public var length: Int { Int(range.upperBound - range.lowerBound) }

    /// For a datagram read: the bytes `recvfrom(asked)` returned. The proxy records the whole datagram it
    /// relayed (`len`) beside what a `recvfrom(buf)` would keep; a peer records what it kept. Both agree here.
    public var returnedLength: Int { min(length, asked ?? length) }
    /// For a datagram: its whole size, the bytes a read returned plus those it lost.
    public var datagramLength: Int { truncatedBytes > 0 ? returnedLength + truncatedBytes : length }
}

/// One application message on the axis.
public struct MessageRange: Hashable, Sendable {
    public var range: Range<UInt64>
    /// False when the stream ended or a gap cut it before the framing said it was whole.
    public var isComplete: Bool
    /// A short human hint (`hello\n`, `SET foo`, `GET /`), when the framing gives one.
    public var summary: String? {
        get { summaryStorage.text }
        set { summaryStorage = MessageSummary(newValue) }
    }
    /// The summary as the framing kept it (see `MessageSummary`).
    var summaryStorage: MessageSummary
    public var time: Timestamp?
    /// Its part in a request/response exchange, when its framing pairs them (`FramingSpec.pairing`).
    public var exchange: MessageExchange?

    public init(
        range: Range<UInt64>, isComplete: Bool = true, summary: String? = nil, time: Timestamp? = nil,
        exchange: MessageExchange? = nil
    ) {
        self.range = range
        self.isComplete = isComplete
        self.summaryStorage = MessageSummary(summary)
        self.time = time
        self.exchange = exchange
    }

    /// A framed message on the axis, its summary kept as the framing kept it.
    init(_ message: FramedMessage, time: Timestamp?) {
        self.range = message.range
        self.isComplete = message.isComplete
        self.summaryStorage = message.summaryStorage
        self.time = time
        self.exchange = message.exchange
    }
}

extension MessageRange {
    /// Equal when range, completeness, summary text and time are, however the summary is kept.
    public static func == (lhs: MessageRange, rhs: MessageRange) -> Bool {
        lhs.range == rhs.range && lhs.isComplete == rhs.isComplete && lhs.time == rhs.time
            && lhs.summary == rhs.summary
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(range)
        hasher.combine(isComplete)
        hasher.combine(summary)
        hasher.combine(time)
    }
}

/// Where a direction's messages came from.
public enum MessageSource: Hashable, Sendable, CustomStringConvertible {
    /// A framing spec decoded them from the reassembled bytes.
    case framing(FramingSpec)
    /// No framing given: each send call of the sender is one message.
    case sendCalls
    /// UDP: each datagram is one message.
    case datagrams
    /// Unknown: no framing given and the sender's calls were not observed.
    case unknown

    public var description: String {
        switch self {
        case .framing(let spec): return "framing \(spec)"
        case .sendCalls: return "send-calls"
        case .datagrams: return "datagrams"
        case .unknown: return "unknown"
        }
    }
}

/// FNV-1a, 64 bits: a cheap payload fingerprint for matching datagrams across layers.
func payloadHash<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
        hash ^= UInt64(byte)
        hash = hash &* 0x0000_0100_0000_01b3
    }
    return hash | 1  // never 0, which means "not recorded"
}
