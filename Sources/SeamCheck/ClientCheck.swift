import SeamCore

/// `seam check SESSION --client -- CMD…`: plays each recorded connection's server side to the client command,
/// as recorded (twice: the baseline, and whether the client's bytes vary), then under the `ChunkingPlan`'s
/// chunkings of the answers, until the client's exit status or bytes differ, or it speaks into an answer it
/// has not had all of. The failing chunking is shrunk and run once more for its words and its calls.
public struct ClientCheck: Sendable {
    public var listen: Endpoint
    public var command: [String]
    public var framing: FramingSpec?
    public var seed: UInt64
    public var budgetSeconds: Double
    public var pauseMilliseconds: Int
    public var timing = ClientReplayer.Timing()
    public var only: String?
    public var connection: Int?

    public init(
        listen: Endpoint,
        command: [String],
        framing: FramingSpec?,
        seed: UInt64,
        budgetSeconds: Double,
        pauseMilliseconds: Int
    ) {
        self.listen = listen
        self.command = command
        self.framing = framing
        self.seed = seed
        self.budgetSeconds = budgetSeconds
        self.pauseMilliseconds = pauseMilliseconds
    }

    public func run(_ exchanges: [RecordedExchange]) throws -> CheckResult {
        let started = now()
        let deadline = started + budgetSeconds
        ClientProcess.killOnInterrupt()
        let listener = try ReplaySocket.listen(on: listen)
        defer { listener.close() }
        let host = listen.address.description
        var result = CheckResult()
        for exchange in exchanges where connection == nil || exchange.connection == connection {
            guard !exchange.serverBytes.isEmpty else { continue }
            result.connections += 1
            let answers = MessageCuts.messages(
                of: exchange.serverBytes,
                chunks: exchange.serverChunks,
                framing: framing,
                direction: .serverToClient
            )
            let lengths = answers.map(\.count)
            let replayer = ClientReplayer(exchange: exchange, answers: answers, command: command, timing: timing)
            var none: [SessionCall]? = nil
            let baseline = try replayer.run(
                .asRecorded(),
                listener: listener,
                host: host,
                baselineHeard: nil,
                calls: &none,
                until: deadline
            )
            let second = try replayer.run(
                .asRecorded(),
                listener: listener,
                host: host,
                baselineHeard: baseline.heardBeforeAnswerEnd,
                calls: &none,
                until: deadline
            )
            result.tried += 2
            if baseline.interrupted || second.interrupted {
                throw CheckError.baseline(
                    "the as-recorded run of the client did not finish within the budget (--budget \(budgetSeconds) s)")
            }
            guard baseline.connected else {
                throw CheckError.baseline(
                    "the client command never connected to \(host):\(listener.localPort) (give it {port})"
                )
            }
            var exact = true
            if second.difference(from: baseline, lengths: lengths, exact: true) != nil {
                exact = false
                result.varied.append(exchange.connection)
                if let loose = second.difference(from: baseline, lengths: lengths, exact: false) {
                    throw CheckError.baseline("two as-recorded runs of the client differ: \(loose)")
                }
            }
            /// Whether the client behaves differently under `chunking`; a run the budget cut short does not.
            func differs(_ chunking: Chunking, until runDeadline: Double) throws -> Bool {
                var none: [SessionCall]? = nil
                let behaviour = try replayer.run(
                    chunking,
                    listener: listener,
                    host: host,
                    baselineHeard: baseline.heardBeforeAnswerEnd,
                    calls: &none,
                    until: runDeadline
                )
                result.tried += 1
                if behaviour.interrupted {
                    result.budgetSpent = true
                    return false
                }
                return behaviour.difference(from: baseline, lengths: lengths, exact: exact) != nil
            }
            var failing: Chunking?
            if let only {
                let chunking = try Chunking(parsing: only, lengths: lengths, defaultPause: pauseMilliseconds)
                if try differs(chunking, until: .infinity) { failing = chunking }
            } else {
                let plan = ChunkingPlan(
                    lengths: lengths,
                    headerSize: MessageCuts.headerSize(of: framing),
                    seed: seed,
                    pauseMilliseconds: pauseMilliseconds,
                    randomCount: 200
                )
                for chunking in plan {
                    guard now() < deadline else {
                        result.budgetSpent = true
                        break
                    }
                    if try differs(chunking, until: deadline) {
                        failing = chunking
                        break
                    }
                }
            }
            if let found = failing {
                let shrinkDeadline = max(deadline, now() + budgetSeconds / 5)
                var shrinker = Shrinker(deadline: shrinkDeadline)
                let shrinkStart = now()
                let smallest = try shrinker.shrink(found) { try differs($0, until: shrinkDeadline) }
                result.shrinkSeconds = now() - shrinkStart
                var calls: [SessionCall]? = []
                let behaviour = try replayer.run(
                    smallest,
                    listener: listener,
                    host: host,
                    baselineHeard: baseline.heardBeforeAnswerEnd,
                    calls: &calls
                )
                result.finding = CheckFinding(
                    connection: exchange.connection,
                    chunking: smallest,
                    found: found,
                    difference: behaviour.difference(from: baseline, lengths: lengths, exact: exact)
                        ?? "the client behaved differently (not on this last run: the difference is timing-dependent)",
                    messageWord: "answer",
                    lengths: lengths,
                    shrinkTries: shrinker.tries,
                    calls: calls ?? []
                )
                break
            }
            if now() >= deadline { break }
        }
        guard result.connections > 0 else { throw CheckError.nothingToReplay("no connection with server bytes") }
        result.seconds = now() - started
        return result
    }
}
