import SeamCore

/// `seam check SESSION --to HOST:PORT`: replays each recorded connection's client side to a live server,
/// first as recorded (twice: the baseline, and whether the answers vary), then under the `ChunkingPlan`'s
/// chunkings until one changes the answers or the budget is spent; a failing chunking is shrunk
/// (`Shrinker`) and replayed once more for its words and its calls.
///
/// Answers that differ between the two as-recorded runs (timestamps, ids) are compared by their framed
/// message lengths only (total length without a framing), and the result says so.
public struct ServerCheck: Sendable {
    public var target: Endpoint
    public var framing: FramingSpec?
    public var seed: UInt64
    public var budgetSeconds: Double
    public var pauseMilliseconds: Int
    public var timing = Replayer.Timing()
    /// Only this chunking (a reproduction), instead of the plan.
    public var only: String?
    /// Only this connection.
    public var connection: Int?

    public init(target: Endpoint, framing: FramingSpec?, seed: UInt64, budgetSeconds: Double, pauseMilliseconds: Int) {
        self.target = target
        self.framing = framing
        self.seed = seed
        self.budgetSeconds = budgetSeconds
        self.pauseMilliseconds = pauseMilliseconds
    }

    public func run(_ exchanges: [RecordedExchange]) throws -> CheckResult {
        let started = now()
        let deadline = started + budgetSeconds
        var result = CheckResult()
        var contexts: [(Replayer, ServerAnswers, Bool, [Int])] = []
        for exchange in exchanges where connection == nil || exchange.connection == connection {
            guard !exchange.clientBytes.isEmpty else { continue }
            let messages = MessageCuts.messages(
                of: exchange.clientBytes,
                chunks: exchange.clientChunks,
                framing: framing,
                direction: .clientToServer
            )
            let replayer = Replayer(target: target, exchange: exchange, messages: messages, timing: timing)
            var none: [SessionCall]? = nil
            let first = try replayer.run(
                .asRecorded(), expected: replayer.recordedExpectations, settle: true, calls: &none, until: deadline)
            let second = try replayer.run(.asRecorded(), expected: first.answeredThrough, calls: &none, until: deadline)
            if first.interrupted || second.interrupted {
                throw CheckError.baseline(
                    "the as-recorded replay of connection \(exchange.connection) did not finish within the budget "
                        + "(--budget \(budgetSeconds) s)")
            }
            result.tried += 2
            var exact = true
            if AnswerDifference.compare(second, with: first, framing: framing, exact: true) != nil {
                exact = false
                result.varied.append(exchange.connection)
                if let loose = AnswerDifference.compare(second, with: first, framing: framing, exact: false) {
                    throw CheckError.baseline(
                        "connection \(exchange.connection): two as-recorded runs differ even in length (\(loose)); "
                            + "the server's answers are not reproducible"
                    )
                }
            }
            if first.bytes != exchange.serverBytes {
                result.notes.append(
                    "connection \(exchange.connection): the live server answered \(first.bytes.count) bytes where the "
                        + "recording has \(exchange.serverBytes.count); its own answers are the baseline"
                )
            }
            contexts.append((replayer, first, exact, messages.map(\.count)))
        }
        guard !contexts.isEmpty else { throw CheckError.nothingToReplay("no connection with client bytes") }
        result.connections = contexts.count

        /// Whether `chunking` changes connection `index`'s answers; a run the budget cut short changes nothing.
        func differs(_ index: Int, _ chunking: Chunking, early: Bool, until runDeadline: Double) throws -> ServerAnswers? {
            let (replayer, baseline, exact, _) = contexts[index]
            var none: [SessionCall]? = nil
            let answers = try replayer.run(
                chunking,
                expected: baseline.answeredThrough,
                abortUnlike: exact && early ? baseline.bytes : nil,
                closeWaitMilliseconds: baseline.end == .open ? min(100, timing.closeWaitMilliseconds) : nil,
                calls: &none,
                until: runDeadline
            )
            result.tried += 1
            if answers.interrupted {
                result.budgetSpent = true
                return nil
            }
            let different = AnswerDifference.compare(answers, with: baseline, framing: framing, exact: exact) != nil
            return different ? answers : nil
        }

        var failing: (Int, Chunking)?
        if let only {
            for index in contexts.indices {
                let chunking = try Chunking(parsing: only, lengths: contexts[index].3, defaultPause: pauseMilliseconds)
                if try differs(index, chunking, early: false, until: .infinity) != nil {
                    failing = (index, chunking)
                    break
                }
            }
        } else {
            let plans = contexts.map {
                ChunkingPlan(
                    lengths: $0.3,
                    headerSize: MessageCuts.headerSize(of: framing),
                    seed: seed,
                    pauseMilliseconds: pauseMilliseconds
                ).makeIterator()
            }
            var exhausted = Set<Int>()
            search: while exhausted.count < contexts.count {
                for index in contexts.indices where !exhausted.contains(index) {
                    guard now() < deadline else {
                        result.budgetSpent = true
                        break search
                    }
                    guard let chunking = plans[index].next() else {
                        exhausted.insert(index)
                        continue
                    }
                    if try differs(index, chunking, early: true, until: deadline) != nil {
                        failing = (index, chunking)
                        break search
                    }
                }
            }
        }
        if let (index, found) = failing {
            let (replayer, baseline, exact, lengths) = contexts[index]
            let shrinkDeadline = max(deadline, now() + budgetSeconds / 5)
            var shrinker = Shrinker(deadline: shrinkDeadline)
            let shrinkStart = now()
            let smallest = try shrinker.shrink(found) { try differs(index, $0, early: true, until: shrinkDeadline) != nil }
            result.shrinkSeconds = now() - shrinkStart
            var calls: [SessionCall]? = []
            var difference: AnswerDifference?
            for _ in 0..<3 where difference == nil {  // a timing-dependent difference may need another try
                calls = []
                let answers = try replayer.run(
                    smallest,
                    expected: baseline.answeredThrough,
                    closeWaitMilliseconds: baseline.end == .open ? min(100, timing.closeWaitMilliseconds) : nil,
                    calls: &calls
                )
                difference = AnswerDifference.compare(answers, with: baseline, framing: framing, exact: exact)
            }
            result.finding = CheckFinding(
                connection: replayer.exchange.connection,
                chunking: smallest,
                found: found,
                difference: difference?.words
                    ?? "the answers differed (not on this last replay: the difference is timing-dependent)",
                messageWord: "request",
                lengths: lengths,
                shrinkTries: shrinker.tries,
                calls: calls ?? []
            )
        }
        result.seconds = now() - started
        return result
    }
}

/// What a check did and found.
public struct CheckResult: Sendable {
    public var finding: CheckFinding?
    /// Replays made (baselines, chunkings, shrinking).
    public var tried = 0
    /// Connections checked.
    public var connections = 0
    /// Connections whose answers varied between two as-recorded runs: compared by framing and length only.
    public var varied: [Int] = []
    /// The budget ran out before every planned chunking was tried.
    public var budgetSpent = false
    public var notes: [String] = []
    public var seconds = 0.0
    public var shrinkSeconds = 0.0

    public init() {}
}
