/// The calls and packets that prove a verdict, as typed values; the renderers put them into words. Reads are
/// numbered from 1 in the order the program made them on that direction ("read 2"), as a person counts them.
public enum VerdictEvidence: Hashable, Sendable {
    /// The program read `readBytes` of the message's `messageBytes` in `partialReads`, then did `action`;
    /// `laterReads` (after the action) returned the rest of the message, when they were observed.
    case actedOnPartial(
        messageBytes: Int, readBytes: Int, partialReads: [Int], action: PartialAction, laterReads: [Int],
        restBytes: Int)
    /// The connection ended with `unreadBytes` delivered to the program and never read (`nil` when the program's
    /// reads were not observed and only its kernel's RST shows it).
    case stoppedReading(
        unreadBytes: Int?, delivered: UInt64, readUpTo: UInt64?, begunMessage: BegunMessage?, end: ConnectionEnd)
    /// `requests` (indexes) were answered by `answers` messages; `sharedRead` is the read that returned them
    /// together, when the server's reads were observed; `quietNanoseconds` how long the server then stayed
    /// silent until the connection ended.
    case unanswered(requests: Range<Int>, answers: Int, sharedRead: Int?, quietNanoseconds: Int64?)
    /// A `recvfrom(asked)` returned `returned` bytes of a `datagramBytes`-byte datagram.
    case truncated(asked: Int, returned: Int, datagramBytes: Int)
    /// A send asked to write `asked` bytes took `accepted`; `unwritten` bytes were never written after it (the
    /// next send, if any, asked for `nextAsked` — new bytes, not the rest).
    case partialSend(asked: Int, accepted: Int, unwritten: Int, nextAsked: Int?)

    /// What a program did after a read that returned only part of a message.
    public enum PartialAction: Hashable, Sendable {
        /// It wrote message `message` (of the other direction) to its peer.
        case wrote(message: Int?, bytes: Int, time: Timestamp, summary: String?)
        /// It closed the socket.
        case closed(time: Timestamp)
    }

    /// A message the program had begun to read when the connection ended.
    public struct BegunMessage: Hashable, Sendable {
        public var index: Int
        public var bytesRead: Int
        public var bytes: Int

        public init(index: Int, bytesRead: Int, bytes: Int) {
            self.index = index
            self.bytesRead = bytesRead
            self.bytes = bytes
        }
    }

    /// How the connection ended on the program's side.
    public enum ConnectionEnd: Hashable, Sendable {
        /// Its close call (and whether the capture saw its kernel send RST for the unread data).
        case closed(time: Timestamp, sentReset: Bool)
        /// Seen only in the capture: its kernel sent RST, without a FIN first.
        case resetInCapture(time: Timestamp)
    }
}
