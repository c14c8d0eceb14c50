/// A program mishandled the stream: the evidence shows it treated a read as a message, or ended the
/// connection with data it never read, or lost or never wrote bytes. Only this is a red mark in a report
/// (Wireshark's expert "warn"/"error"); the normal chunking of TCP is an `Observation`.
///
/// Each names whose code (`program`: the client's or the server's), the message, the calls that prove it
/// (`evidence`), and a fix, which the renderers word for the protocol the framing names.
public struct Verdict: Hashable, Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        /// A program read part of a message and then wrote a whole message to its peer, or closed, before it
        /// read the rest: it took a read for the message, and its later reads return the old message's bytes.
        case actedOnPartial = "acted-on-partial"
        /// The connection ended while a message the program had begun to read was not whole, or while bytes
        /// sent to it were never read (a close with unread data makes the kernel send RST).
        case stoppedReading = "stopped-reading"
        /// With request/response pairing: requests that got no answer (two requests read as one, answered once).
        case unanswered
        /// A UDP read shorter than its datagram: the rest of the datagram is gone.
        case truncated
        /// A send returned less than asked and the program never wrote the rest.
        case partialSend = "partial-send"
    }

    public var kind: Kind
    /// The flow, as the report names it (`tcp.0`, `conn1.app`).
    public var flow: String
    /// The direction of the message concerned: the one the program read (acted-on-partial, stopped-reading,
    /// truncated), the requests' (unanswered), the one it wrote (partial-send).
    public var direction: Direction
    /// Whose code: the side that mishandled it.
    public var program: Side
    /// The process of that side, when its calls named it.
    public var process: ProcessName?
    /// The message concerned, by index in the direction's messages, when there is one.
    public var message: Int?
    /// When it happened (the deciding call or packet).
    public var time: Timestamp
    public var evidence: VerdictEvidence
    /// The framing of the direction, so the fix can speak of that protocol.
    public var framing: FramingSpec?

    public init(
        kind: Kind, flow: String, direction: Direction, program: Side, process: ProcessName? = nil, message: Int?,
        time: Timestamp, evidence: VerdictEvidence, framing: FramingSpec? = nil
    ) {
        self.kind = kind
        self.flow = flow
        self.direction = direction
        self.program = program
        self.process = process
        self.message = message
        self.time = time
        self.evidence = evidence
        self.framing = framing
    }
}

/// A process as a program's recorded calls name it.
public struct ProcessName: Hashable, Sendable, CustomStringConvertible {
    public var pid: UInt32
    public var command: String?

    public init(pid: UInt32, command: String?) {
        self.pid = pid
        self.command = command
    }

    /// `python3 (pid 4242)`, or `pid 4242`.
    public var description: String { command.map { "\($0) (pid \(pid))" } ?? "pid \(pid)" }
}
