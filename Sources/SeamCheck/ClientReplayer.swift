import SeamCore

/// Plays the recorded server side of one connection to the user's client command under one chunking
/// (`seam check --client`): starts the command, accepts its connection, and writes each recorded answer once
/// the client has sent what it had sent before that answer in the recording — a cut answer's pieces `pause`
/// apart, listening meanwhile. Seam notes when the client speaks into an answer it has not had all of.
///
/// Bounded: accepting, each wait for the client, its end and its exit have deadlines; the command is killed
/// (its whole process group) if it outlives them, and the connection is closed at the end of every run.
public struct ClientReplayer: Sendable {
    public struct Timing: Sendable, Hashable {
        public var acceptTimeoutSeconds = 10.0
        /// The longest wait for the client's next bytes before an answer.
        public var requestTimeoutSeconds = 3.0
        /// The longest wait for the client's end after the last answer, and then for its exit.
        public var endTimeoutSeconds = 5.0

        public init() {}
    }

    public var exchange: RecordedExchange
    /// The server's messages (the answers).
    public var answers: [Range<Int>]
    /// The client command, `{port}` standing for the port Seam listens on.
    public var command: [String]
    public var timing: Timing

    public init(exchange: RecordedExchange, answers: [Range<Int>], command: [String], timing: Timing = Timing()) {
        self.exchange = exchange
        self.answers = answers
        self.command = command
        self.timing = timing
    }

    /// For each answer, how many client bytes came before it in the recording.
    public var triggers: [Int] {
        answers.map { answer in
            let chunk =
                exchange.serverChunks.first { $0.range.contains(answer.lowerBound) } ?? exchange.serverChunks.last!
            return exchange.bytesBefore(chunk.time, sentBy: .clientToServer)
        }
    }

    /// One run of the client.
    /// - Parameters:
    ///   - listener: where the client connects (`{port}` is its port).
    ///   - baselineHeard: the baseline's `heardBeforeAnswerEnd`, to notice a client that speaks early.
    func run(
        _ chunking: Chunking,
        listener: ReplaySocket,
        host: String,
        baselineHeard: [Int]?,
        calls: inout [SessionCall]?,
        until hardDeadline: Double = .infinity
    ) throws(CheckError) -> ClientBehaviour {
        let port = String(listener.localPort)
        let arguments = command.map { $0.replacingPort(with: port) }
        let process = try ClientProcess(
            arguments: arguments,
            environment: ["SEAM_CHECK_PORT": port, "SEAM_CHECK_HOST": host]
        )
        defer { process.stop() }
        var behaviour = ClientBehaviour()
        let acceptDeadline = min(now() + timing.acceptTimeoutSeconds, hardDeadline)
        var accepted: ReplaySocket?
        while accepted == nil && now() < acceptDeadline && process.exitStatus == nil {
            accepted = listener.accept(timeout: 0.02)
        }
        accepted = accepted ?? listener.accept(timeout: 0)  // it connected and exited at once
        guard let socket = accepted else {
            behaviour.exitStatus = process.wait(seconds: timing.endTimeoutSeconds)
            return behaviour
        }
        defer { socket.close() }
        behaviour.connected = true
        var recorder = calls.map { _ in
            CallLog(
                connection: exchange.connection,
                client: socket.peerEndpoint,
                server: socket.localEndpoint,
                writes: .serverToClient
            )
        }
        recorder?.log(.accept)
        var ended = false
        func collect(for seconds: Double, until target: Int? = nil) {
            let deadline = min(now() + seconds, hardDeadline)
            if now() + seconds > hardDeadline { behaviour.interrupted = true }
            while !ended {
                if let target, behaviour.bytes.count >= target { break }
                let left = deadline - now()
                if left <= 0 { break }
                switch socket.read(timeout: left) {
                case .bytes(let bytes):
                    recorder?.log(.recv, bytes: bytes, offset: behaviour.bytes.count)
                    behaviour.bytes += bytes
                case .end:
                    recorder?.log(.recv, bytes: [], offset: behaviour.bytes.count)
                    ended = true
                case .reset:
                    recorder?.log(.reset)
                    ended = true
                    behaviour.reset = true
                case .nothing:
                    break
                }
            }
        }
        let triggers = self.triggers
        let pause = Double(chunking.pauseMilliseconds) / 1000
        var sent = 0
        for write in chunking.writes(of: answers) {
            if behaviour.interrupted || now() >= hardDeadline {
                behaviour.interrupted = true
                break
            }
            let answer = write.firstMessage
            if write.range.lowerBound == answers[answer].lowerBound {
                collect(for: timing.requestTimeoutSeconds, until: triggers[answer])
            }
            for _ in write.finishes { behaviour.heardBeforeAnswerEnd.append(behaviour.bytes.count) }
            guard !ended || !behaviour.reset, socket.sendAll(exchange.serverBytes[write.range]) else { break }
            recorder?.log(
                .send,
                bytes: Array(exchange.serverBytes[write.range]),
                offset: sent,
                rechunk: write.isJoin ? .coalesce : write.isPiece ? .split : nil
            )
            sent = write.range.upperBound
            if write.finishes.isEmpty {
                collect(for: pause)
                if let baselineHeard, answer < baselineHeard.count, behaviour.bytes.count > baselineHeard[answer],
                    behaviour.spokeEarly == nil
                {
                    behaviour.spokeEarly = .init(
                        answer: answer,
                        written: write.range.upperBound - answers[answer].lowerBound
                    )
                }
            }
        }
        if exchange.serverClosedFirst {
            socket.shutdownWrite()
            recorder?.log(.shutdown)
        }
        collect(for: timing.endTimeoutSeconds)
        recorder?.log(.close)
        socket.close()
        behaviour.exitStatus = process.wait(seconds: min(timing.endTimeoutSeconds, max(0, hardDeadline - now())))
        if behaviour.exitStatus == nil && now() >= hardDeadline { behaviour.interrupted = true }
        if let recorder { calls = recorder.calls }
        return behaviour
    }
}

extension String {
    /// The argument with every `{port}` replaced.
    func replacingPort(with port: String) -> String {
        guard contains("{port}") else { return self }
        var result = ""
        var rest = Substring(self)
        while let start = rest.firstRange(of: "{port}") {
            result += rest[..<start.lowerBound] + port
            rest = rest[start.upperBound...]
        }
        return result + rest
    }
}
