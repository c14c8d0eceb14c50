import SeamCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Replays the client side of one recorded connection to a live server under one chunking, and collects what
/// the server answered (`seam check --to`).
///
/// Message by message: the writes of a message go out (a cut message's pieces `pause` apart, reading what
/// arrives meanwhile), then the replay waits for its answer — until as many bytes have come as `expected`
/// says (the baseline's, or the recording's for the baseline itself), or at
/// most `answerTimeout` (then it moves on; a later difference shows it). Bytes beyond the expected ones are not
/// waited for between messages: they show in the answers at the end, after a last `grace` of quiet. After the
/// last message it closes its sending side and waits for the server's end.
/// Every wait has a deadline, and the socket is closed when the run ends, whatever happened.
public struct Replayer: Sendable {
    /// How long the replay waits.
    public struct Timing: Sendable, Hashable {
        /// Quiet after the last answer, before the replay closes its side.
        public var graceMilliseconds = 5
        /// The first baseline's quiet after each answer began: how it learns where one answer ends.
        public var settleMilliseconds = 20
        /// The longest wait for one message's expected answer.
        public var answerTimeoutMilliseconds = 1000
        /// The longest wait for the server's end after the replay closed its side.
        public var closeWaitMilliseconds = 1000
        /// Connecting.
        public var connectTimeoutSeconds = 3.0

        public init() {}
    }

    public var target: Endpoint
    public var exchange: RecordedExchange
    /// The client's messages.
    public var messages: [Range<Int>]
    public var timing: Timing

    public init(target: Endpoint, exchange: RecordedExchange, messages: [Range<Int>], timing: Timing = Timing()) {
        self.target = target
        self.exchange = exchange
        self.messages = messages
        self.timing = timing
    }

    /// What the recording says each message's answer brought: server bytes sent before the next message began.
    public var recordedExpectations: [Int] {
        messages.indices.map { index in
            guard index + 1 < messages.count else { return exchange.serverBytes.count }
            let start = messages[index + 1].lowerBound
            let chunk = exchange.clientChunks.first { $0.range.contains(start) } ?? exchange.clientChunks.last!
            return exchange.bytesBefore(chunk.time, sentBy: .serverToClient)
        }
    }

    /// One replay.
    /// - Parameters:
    ///   - expected: the bytes answered through each message (cumulative), to wait for.
    ///   - abortUnlike: stop as soon as the answers are no longer a prefix of these bytes (they differ already).
    ///   - settle: the first baseline: `expected` is the recording's, whose sizes the live server need not
    ///     match, so after each message that had an answer it waits for the answer's first byte and then for
    ///     `settleMilliseconds` of quiet (the answers' sizes it learns are the next runs' `expected`).
    ///   - closeWait: how long to wait for the server's end after the replay closed its side, when not
    ///     `timing.closeWaitMilliseconds` (shorter when the baseline showed the server keeps it open).
    ///   - calls: when given, collects the replay's calls (for the failing exchange's session file).
    ///   - hardDeadline: the check's budget (monotonic seconds): the run stops there, `interrupted`.
    public func run(
        _ chunking: Chunking,
        expected: [Int],
        settle: Bool = false,
        abortUnlike: [UInt8]? = nil,
        closeWaitMilliseconds closeWait: Int? = nil,
        calls: inout [SessionCall]?,
        until hardDeadline: Double = .infinity
    ) throws(CheckError) -> ServerAnswers {
        let socket = try ReplaySocket.connect(to: target, timeout: timing.connectTimeoutSeconds)
        defer { socket.close() }
        var recorder = calls.map { _ in
            CallLog(
                connection: exchange.connection,
                client: socket.localEndpoint,
                server: socket.peerEndpoint ?? target
            )
        }
        recorder?.log(.connect)
        var answers = ServerAnswers()
        var ended = false
        let pause = Double(chunking.pauseMilliseconds) / 1000
        let grace = Double(timing.graceMilliseconds) / 1000

        /// Reads for up to `seconds`; with `until`, returns as soon as that many bytes came (then waits `grace`).
        func collect(for seconds: Double, until target: Int? = nil) {
            let deadline = min(now() + seconds, hardDeadline)
            if deadline == hardDeadline, now() + seconds > hardDeadline { answers.interrupted = true }
            while !ended {
                if let target, answers.bytes.count >= target { break }
                let left = deadline - now()
                if left <= 0 { break }
                switch socket.read(timeout: left) {
                case .bytes(let bytes):
                    recorder?.log(.recv, bytes: bytes, offset: answers.bytes.count)
                    answers.bytes += bytes
                    answers.reads += 1
                case .end:
                    recorder?.log(.recv, bytes: [], offset: answers.bytes.count)
                    ended = true
                    answers.end = .closed
                case .reset:
                    recorder?.log(.reset)
                    ended = true
                    answers.end = .reset
                case .nothing:
                    break
                }
            }
        }
        func quiet() {
            while !ended {
                let before = answers.bytes.count
                collect(for: grace)
                if answers.bytes.count == before { break }
            }
        }

        var sent = 0
        var lastFinished: Int?
        writes: for write in chunking.writes(of: messages) {
            if answers.interrupted || now() >= hardDeadline {
                answers.interrupted = true
                break
            }
            let bytes = exchange.clientBytes[write.range]
            if !socket.sendAll(bytes) {
                collect(for: grace)
                if !ended {
                    ended = true
                    answers.end = .reset
                }
            }
            if ended {
                answers.endedAfterMessage = lastFinished
                break
            }
            recorder?.log(
                .send,
                bytes: Array(bytes),
                offset: sent,
                rechunk: write.isJoin ? .coalesce : write.isPiece ? .split : nil
            )
            sent = write.range.upperBound
            if write.finishes.isEmpty {
                collect(for: pause)
            } else {
                for message in write.finishes {
                    if settle {
                        let answered =
                            message < expected.count && expected[message] > (message > 0 ? expected[message - 1] : 0)
                        if answered {
                            collect(
                                for: Double(timing.answerTimeoutMilliseconds) / 1000,
                                until: answers.bytes.count + 1
                            )
                        }
                        while !ended {
                            let before = answers.bytes.count
                            collect(for: Double(timing.settleMilliseconds) / 1000)
                            if answers.bytes.count == before { break }
                        }
                        answers.answeredThrough.append(answers.bytes.count)
                        lastFinished = message
                        continue
                    }
                    let want = message < expected.count ? expected[message] : nil
                    if let want, answers.bytes.count < want {
                        collect(for: Double(timing.answerTimeoutMilliseconds) / 1000, until: want)
                        if answers.bytes.count < want, !ended, answers.timedOutAfterMessage == nil {
                            answers.timedOutAfterMessage = message
                        }
                    }
                    answers.answeredThrough.append(answers.bytes.count)
                    lastFinished = message
                }
            }
            if ended {
                if write.range.upperBound < (messages.last?.upperBound ?? 0) {
                    answers.endedAfterMessage = lastFinished
                }
                break writes
            }
            if let abortUnlike, !abortUnlike.starts(with: answers.bytes) { break writes }
        }
        if !ended {
            quiet()
            socket.shutdownWrite()
            recorder?.log(.shutdown)
            collect(for: Double(closeWait ?? timing.closeWaitMilliseconds) / 1000)
        }
        recorder?.log(.close)
        if let recorder { calls = recorder.calls }
        return answers
    }
}

/// The monotonic clock in seconds.
func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}
