/// Verdicts into words: a one-line summary, the evidence in full, and the fix for the protocol in use.
extension ReportWords {
    /// `the client (python3, pid 4242)`.
    static func program(_ verdict: Verdict) -> String {
        "the \(verdict.program.rawValue)" + (verdict.process.map { " (\($0))" } ?? "")
    }

    /// One line: who did what to which message.
    static func summary(_ verdict: Verdict) -> String {
        let who = program(verdict)
        switch verdict.evidence {
        case .actedOnPartial(let bytes, let read, _, let action, _, _):
            let message = verdict.message.map { "message \($0)" } ?? "a message"
            switch action {
            case .wrote(let answer, _, _, let summary):
                let what = answer.map { "message \($0)" } ?? "a message"
                return "\(who) read \(read) of \(message)'s \(bytes) bytes, then sent \(what)"
                    + (summary.map { " (`\($0)`)" } ?? "") + " before reading the rest"
            case .closed:
                return "\(who) read \(read) of \(message)'s \(bytes) bytes, then closed"
            }
        case .stoppedReading(let unread, let delivered, _, let begun, let end):
            switch end {
            case .closed(_, let reset):
                var text = "\(who) closed with \(unread ?? 0) of \(delivered) bytes sent to it unread"
                if let begun { text += " (message \(begun.index) begun: \(begun.bytesRead) of \(begun.bytes) bytes read)" }
                return text + (reset ? "; its kernel reset the connection" : "")
            case .resetInCapture:
                return "\(who) closed with at least \(unread ?? 0) of the \(delivered) bytes sent to it unread: its "
                    + "kernel reset the connection"
            }
        case .unanswered(let requests, let answers, _, _):
            let missing = requests.count == 1 ? "request \(requests.lowerBound)" : "requests \(requests.lowerBound)–\(requests.upperBound - 1)"
            return "\(who) answered \(answers) of \(answers + requests.count) requests: \(missing) got no answer"
        case .truncated(let asked, let returned, let datagram):
            return "\(who)'s recvfrom(\(asked)) returned \(returned) bytes of a \(datagram)-byte datagram: "
                + "\(datagram - returned) bytes lost"
        case .partialSend(let asked, let accepted, let unwritten, _):
            return "\(who)'s send of \(asked) bytes took \(accepted) and the other \(unwritten) were never written"
        }
    }

    /// The calls and packets that prove it.
    static func evidence(_ verdict: Verdict) -> String {
        switch verdict.evidence {
        case .actedOnPartial(_, _, let partial, let action, let later, let rest):
            var text = "\(reads(partial)) returned only part of message \(verdict.message ?? 0)"
            switch action {
            case .wrote(let answer, let bytes, let time, _):
                text += "; at \(time.timeOfDay) the \(verdict.program.rawValue) wrote "
                    + (answer.map { "message \($0)" } ?? "\(bytes) bytes") + " (\(bytes) bytes) to its peer"
            case .closed(let time):
                text += "; at \(time.timeOfDay) it closed"
            }
            if later.isEmpty {
                text += "; the other \(rest) bytes of the message were never read"
            } else {
                text += "; \(reads(later)), after that, returned the other \(rest) bytes of message \(verdict.message ?? 0)"
                text += " where the answer to what it sent was expected (the stream is out of step)"
            }
            return text
        case .stoppedReading(let unread, let delivered, let readUpTo, let begun, let end):
            var text: String
            switch end {
            case .closed(let time, let reset):
                text = "its reads reached byte \(readUpTo ?? 0) of the \(delivered) sent to it; it closed at \(time.timeOfDay)"
                if reset { text += " and its kernel sent RST, as Linux does for a close with unread data" }
            case .resetInCapture(let time):
                text = "its kernel sent RST at \(time.timeOfDay) without a FIN before it; its receive window had shrunk by "
                    + "\(unread ?? 0) bytes and never reopened, so that much sat unread in its buffer (a window reopens as "
                    + "the program reads): Linux resets a connection closed with unread data"
            }
            if let begun {
                text += "; message \(begun.index) was begun (\(begun.bytesRead) of \(begun.bytes) bytes read)"
            } else if let unread, unread > 0, readUpTo != nil {
                text += "; \(unread) bytes were never read"
            }
            return text
        case .unanswered(let requests, let answers, let shared, let quiet):
            var text = "\(answers) answers for \(answers + requests.count) requests"
            if let shared { text += "; read \(shared) returned two requests at once and one answer followed" }
            if let quiet { text += "; the server then sent nothing for \(duration(quiet)) until the connection ended" }
            return text
        case .truncated(let asked, let returned, let datagram):
            return "the datagram was \(datagram) bytes; the read's buffer held \(asked), so \(returned) came back and the "
                + "kernel dropped the other \(datagram - returned)"
        case .partialSend(let asked, let accepted, let unwritten, let next):
            var text = "send(\(asked)) returned \(accepted)"
            if let next {
                text += "; the next send asked to write \(next) bytes, not the \(unwritten) left"
            } else {
                text += "; no later send wrote the \(unwritten) bytes left"
            }
            return text
        }
    }

    /// The fix, worded for the protocol the framing names where it has one.
    static func fix(_ verdict: Verdict) -> String {
        let framed = verdict.framing.flatMap(frameHint)
        switch verdict.kind {
        case .actedOnPartial:
            return "a read returns whatever bytes have arrived, not a message: read until the message is whole before "
                + "you act on it (" + (framed ?? "a length header such as struct.pack('i', len) says how much; loop on recv until it is in") + ")."
        case .stoppedReading:
            return "read until the message is whole (or recv returns b'') before you close: a close with unread data "
                + "makes the kernel reset the connection" + (framed.map { " (\($0))" } ?? "") + "."
        case .unanswered:
            return "one read can hold several requests, or part of one: cut what you read into requests by the protocol's "
                + "framing and answer each (" + (framed ?? "frame every request") + ")."
        case .truncated:
            return "recvfrom with a buffer as large as the largest datagram (up to 65507 bytes), or check MSG_TRUNC."
        case .partialSend:
            return "use sendall, or loop until send has taken every byte (on a non-blocking socket, wait until it is "
                + "writable and send the rest)."
        }
    }

    /// How the framing cuts messages, as advice: what a reader must do to find where one ends.
    static func frameHint(_ framing: FramingSpec) -> String? {
        switch framing {
        case .line: return "a message ends at its newline: keep what you read and cut at each \\n"
        case .crlf: return "a message ends at CR LF: keep what you read and cut at each \\r\\n"
        case .delimiter: return "a message ends at its delimiter: keep what you read and cut there"
        case .fixed(let size): return "every message is \(size) bytes: read until you have \(size)"
        case .lengthPrefixed(let prefix):
            return "read the \(prefix.headerSize)-byte header, then loop until the length it gives is in"
        case .pythonStruct: return "read the 4-byte struct.pack('i', n) header, then loop on recv until n bytes are in"
        case .jsonHeader:
            return "read the 4-byte length, then the JSON header, then loop until total_size bytes of body are in"
        case .resp: return "a RESP reply ends where its type says (a line, or $N\\r\\n and N bytes): parse whole replies"
        case .http1: return "an HTTP message ends after its blank line and its Content-Length bytes (or its last chunk)"
        case .dnsTCP: return "each DNS message over TCP is a 2-byte length, then that many bytes"
        }
    }

    /// `read 1`, `reads 2 and 3`, `reads 2–7`.
    static func reads(_ numbers: [Int]) -> String {
        guard let first = numbers.first, let last = numbers.last else { return "no read" }
        if numbers.count == 1 { return "read \(first)" }
        if numbers.count == 2 { return "reads \(first) and \(last)" }
        return "reads \(first)–\(last)"
    }
}
