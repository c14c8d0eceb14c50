/// The numbers behind an observation, as typed values: the renderers (text, JSON, HTML) turn them into words,
/// so the analysis states facts and the report chooses how to say them.
public enum ObservationEvidence: Hashable, Sendable {
    /// Coalesced at `send`: one send call wrote several messages.
    case sendWrote(bytes: Int, time: Timestamp)
    /// Coalesced at `segment`: one segment carried several messages, written as `writes` says.
    case segmentCarried(bytes: Int, frame: Int?, time: Timestamp, writes: Writes)
    /// Coalesced at `recv`: one read returned several messages that had arrived in `arrivals` segments.
    case readReturned(bytes: Int, asked: Int?, time: Timestamp, arrivals: Arrivals?)
    /// Split at `send`: the message took several send calls.
    case splitOverSends(pieces: PieceSizes, messageBytes: Int, shortSend: ShortSend?)
    /// Split at `segment`.
    case splitOverSegments(pieces: PieceSizes, messageBytes: Int, segmentation: Segmentation)
    /// Split at `recv`: the message took several reads.
    case splitOverReads(pieces: PieceSizes, messageBytes: Int, limitingAsk: Int?, firstRead: Timestamp,
        lastArrival: Timestamp?, whatIf: Bool)
    /// A message cut by the end of the stream or a gap: the bytes of it that were seen.
    case incomplete(bytesSeen: Int, gap: Range<UInt64>?)
    /// What-if: a `recvfrom(asked)` of this datagram would lose its tail.
    case wouldTruncate(asked: Int, datagramBytes: Int)
    /// A datagram of `bytes` bytes that never reached `layer`.
    case datagramLost(index: Int, bytes: Int, layer: Layer)
    /// Datagram `index` reached `layer` after datagram `after`.
    case datagramReordered(index: Int, after: Int, layer: Layer)
    /// A datagram of `bytes` bytes reached `layer` again.
    case datagramDuplicated(bytes: Int, layer: Layer)
    /// `seam proxy --rechunk` did it: the proxy's writes were `pieces`.
    case rechunked(Rechunk, pieces: Int)

    /// How the messages one segment carried were written.
    public enum Writes: Hashable, Sendable {
        /// The sender's calls were not observed.
        case notObserved
        /// One send call wrote them together.
        case oneWrite
        /// `count` send calls over `spanNanoseconds`, which the sender's kernel joined, for `reason`.
        case joined(count: Int, spanNanoseconds: Int64, reason: JoinReason)
    }

    /// Why a sender's kernel joined several writes into one segment, as far as it is proven.
    public enum JoinReason: Hashable, Sendable {
        /// Nagle's algorithm: TCP_NODELAY was off and `inFlight` segments were unacknowledged at the later
        /// send (the kernel's state, read by `seam watch`).
        case nagle(inFlight: UInt32)
        /// TCP_CORK was on.
        case cork
        /// The earlier send passed MSG_MORE.
        case moreFlag
        /// Not proven: the kernel's state at the sends was not observed (Nagle or cork are the usual reasons).
        case unproven
    }

    /// When the bytes a read returned arrived.
    public struct Arrivals: Hashable, Sendable {
        public var segments: Int
        public var first: Timestamp
        public var last: Timestamp
        /// From the moment the first message it returned was whole to the read.
        public var waitedNanoseconds: Int64

        public init(segments: Int, first: Timestamp, last: Timestamp, waitedNanoseconds: Int64) {
            self.segments = segments
            self.first = first
            self.last = last
            self.waitedNanoseconds = waitedNanoseconds
        }
    }

    /// A send that returned less than it was asked to write.
    public struct ShortSend: Hashable, Sendable {
        public var time: Timestamp
        public var accepted: Int
        public var asked: Int

        public init(time: Timestamp, accepted: Int, asked: Int) {
            self.time = time
            self.accepted = accepted
            self.asked = asked
        }
    }

    /// What the segment sizes of a split message show.
    public enum Segmentation: Hashable, Sendable {
        /// A segment reached the MSS (or the largest size the capture saw when it saw super-segments).
        case reachedMSS(mss: Int)
        /// A segment stopped at the receiver's advertised window edge, or the window was zero, at `time`.
        case windowLimited(time: Timestamp)
        /// One send call wrote the message, yet it left in several segments below the MSS.
        case oneSendSeveralSegments(mss: Int?)
        /// The sender wrote it in several calls (observed), each below the MSS.
        case severalSends(count: Int)
        /// Every segment was below the MSS and the sender's calls were not observed.
        case unexplained(mss: Int?)
    }

    /// What the proxy did on purpose.
    public typealias Rechunk = SessionCall.Rechunk
}

/// The sizes of the pieces of a split message: the first few and the last, and how many there were, so a
/// message of 10 000 segments costs no more than one of 3.
public struct PieceSizes: Hashable, Sendable, CustomStringConvertible {
    public private(set) var first: [Int] = []
    public private(set) var last: Int?
    public private(set) var count = 0
    static let kept = 4

    public init<S: Sequence<Int>>(_ sizes: S) {
        for size in sizes {
            if first.count < Self.kept { first.append(size) } else { last = size }
            count += 1
        }
    }

    /// `1024 + 1024 + 3032`, or `1460 + 1460 + 1460 + 1460 + … + 120` past four.
    public var description: String {
        var parts = first.map(String.init)
        if let last {
            if count > Self.kept + 1 { parts.append("…") }
            parts.append(String(last))
        }
        return parts.joined(separator: " + ")
    }
}
