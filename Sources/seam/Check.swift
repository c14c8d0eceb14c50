import ArgumentParser
import SeamCheck
import SeamCore

/// `seam check`: replays a recorded exchange under chosen chunkings and reports the smallest one that changes
/// what the program does (exit 3), or that none did within the budget (exit 0).
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay a recorded exchange under many chunkings; find the smallest one that breaks the program.",
        discussion: """
            With --to, Seam replays each recorded connection's client side to a live server, message by message \
            (messages from --framing, else the recorded send calls): first as recorded (twice: the baseline, and \
            whether the answers vary), then with each message cut after its first byte, at its header/body \
            boundary and either side of it, in the middle and before its last byte, consecutive messages joined \
            into one write, each message dribbled a byte at a time, and seeded random cuts. The first chunking \
            whose answers differ (other bytes, another message count, a reset, a close, a timeout) is shrunk to \
            the fewest cuts that still differ and printed with the command that replays it. Answers that vary \
            between two as-recorded runs (timestamps, ids) are compared by framing and length only.

            With --client, Seam plays the recorded server side to CMD (run once per chunking; {port} in its \
            arguments is the port Seam listens on, also in $SEAM_CHECK_PORT), re-chunking the answers: a \
            different exit status, different bytes sent, or a client that speaks before it has had all of an \
            answer is the finding. Only CMD is run; nothing from the network is ever run or passed as an argument.

            Exit status: 0 no chunking changed anything, 3 one did, 1 error, 2 usage. Targets must be loopback \
            unless --allow-remote. Every socket and process is closed at the end.

            Examples:
              seam check s.pcapng --to 127.0.0.1:9001 --framing line
              seam check s.pcapng --client --framing struct:i -- python3 client.py --port {port}
            """
    )

    @Argument(help: "The session file (seam proxy --record, seam trace --payload --record).")
    var session: String

    @Option(help: "The live server to replay the client side to: HOST:PORT or [V6]:PORT.")
    var to: String?

    @Flag(help: "Play the server side to a client command (given after --) instead.")
    var client = false

    @Option(help: "With --client: where Seam listens (default 127.0.0.1, a free port: pass {port} to CMD).")
    var listen = "127.0.0.1:0"

    @Option(
        help: ArgumentHelp(
            "How messages are framed (see `seam report --help`); default: the session's, else the recorded send calls.",
            valueName: "spec"
        )
    )
    var framing: String?

    @Option(help: "The seed of the random chunkings (the same seed tries the same chunkings).")
    var seed: UInt64 = 1

    @Option(help: "Stop searching after S seconds (shrinking a finding gets up to a fifth more).")
    var budget: Double = 60

    @Option(
        help:
            ArgumentHelp(
                "Milliseconds between the pieces of a cut message (default: 20 with --to, 250 with --client, "
                    + "longer than a client's think time).")
    )
    var pause: Int?

    @Option(
        help: ArgumentHelp(
            "Try only this chunking (as a finding prints it, e.g. cut:2@3,pause:20) to reproduce it.",
            valueName: "chunking"
        )
    )
    var chunking: String?

    @Option(help: "Check only this recorded connection.")
    var connection: Int?

    @Option(
        name: .shortAndLong,
        help: "Write the failing exchange as a session file (mode 0600) that `seam report` explains."
    )
    var output: String?

    @Flag(help: "Allow a target or listening address that is not loopback.")
    var allowRemote = false

    @Argument(parsing: .postTerminator, help: "With --client: the client command and its arguments.")
    var command: [String] = []

    func validate() throws {
        if client == (to != nil) { throw ValidationError("give either --to HOST:PORT or --client -- CMD…") }
        if client && command.isEmpty { throw ValidationError("--client needs the client command after --") }
        if !client && !command.isEmpty { throw ValidationError("a command after -- is for --client") }
        if let framing {
            do { _ = try FramingSpec(parsing: framing) } catch { throw ValidationError("\(error)") }
        }
        if let to {
            guard let endpoint = Proxy.endpoint(to), !to.allSatisfy(\.isNumber) else {
                throw ValidationError("--to '\(to)' is not HOST:PORT or [V6]:PORT")
            }
            if !allowRemote && !endpoint.address.isLoopback {
                throw ValidationError(
                    "--to \(to) is not a loopback address; give --allow-remote to replay to another host"
                )
            }
        }
        guard let listening = Proxy.endpoint(listen) else {
            throw ValidationError("--listen '\(listen)' is not HOST:PORT")
        }
        if client && !allowRemote && !listening.address.isLoopback {
            throw ValidationError("--listen \(listen) is not loopback; give --allow-remote to listen there")
        }
        if !(budget > 0) { throw ValidationError("--budget must be more than 0 seconds") }
        if let pause, pause < 0 { throw ValidationError("--pause must not be negative") }
        if let chunking {
            do { _ = try Chunking(parsing: chunking, lengths: [], defaultPause: 0) } catch {
                if !error.word.hasPrefix("dribble") { throw ValidationError("\(error)") }  // dribble needs the lengths
            }
        }
    }

    func run() throws {
        let calls = try Self.calls(of: session)
        let settings = try? SessionReader(source: .path(session)).settings
        let framingText = framing ?? settings?["framing"]
        let spec = try framingText.map { text -> FramingSpec in
            do { return try FramingSpec(parsing: text) } catch {
                throw CommandFailure("\(session): framing '\(text)': \(error)")
            }
        }
        let exchanges: [RecordedExchange]
        do { exchanges = try RecordedExchange.connections(in: calls) } catch {
            throw CommandFailure("\(session): \(error)")
        }
        let result: CheckResult
        let target = to ?? listen
        do {
            if client {
                var check = ClientCheck(
                    listen: Proxy.endpoint(listen)!,
                    command: command,
                    framing: spec,
                    seed: seed,
                    budgetSeconds: budget,
                    pauseMilliseconds: pause ?? 250
                )
                check.only = chunking
                check.connection = connection
                result = try check.run(exchanges)
            } else {
                var check = ServerCheck(
                    target: Proxy.endpoint(to!)!,
                    framing: spec,
                    seed: seed,
                    budgetSeconds: budget,
                    pauseMilliseconds: pause ?? 20
                )
                check.only = chunking
                check.connection = connection
                result = try check.run(exchanges)
            }
        } catch let error as CheckError {
            throw CommandFailure("\(error)")
        } catch {
            throw CommandFailure("\(error)")
        }
        for note in result.notes { FileHandleStderr.write("seam check: \(note)\n") }
        var out = ""
        if !result.varied.isEmpty {
            out +=
                "Answers differ between two as-recorded runs (connection "
                + result.varied.map(String.init).joined(separator: ", ")
                + "): compared by framing and length only, not byte for byte.\n"
        }
        let tried = "\(result.tried) replay\(result.tried == 1 ? "" : "s") in \(Self.seconds(result.seconds))"
        guard let finding = result.finding else {
            let scope =
                result.budgetSpent
                ? " (the \(Self.seconds(budget)) budget ran out before every chunking was tried)" : ""
            out +=
                "✓ no chunking changed the \(client ? "client's behaviour" : "server's answers"): "
                + "\(result.connections) connection\(result.connections == 1 ? "" : "s"), \(tried)\(scope).\n"
            Self.print(out)
            return
        }
        let reproduce =
            ["seam check", Self.quoted(session), client ? "--client" : "--to \(target)"]
            + (framingText.map { ["--framing", Self.quoted($0)] } ?? [])
            + [
                "--connection", String(finding.connection), "--seed", String(seed), "--chunking",
                finding.chunking.description,
            ]
            + (client ? ["--"] + command.map(Self.quoted) : [])
        out += "✗ connection \(finding.connection): \(finding.sentence)\n"
        if finding.found != finding.chunking {
            out +=
                "  shrunk from \(finding.found.description) in \(finding.shrinkTries) replays "
                + "(\(Self.seconds(result.shrinkSeconds)))\n"
        }
        out += "  replay it: \(reproduce.joined(separator: " "))\n"
        out += "  \(tried)\n"
        if let output {
            do {
                try FindingSession.write(
                    finding,
                    to: output,
                    mode: client ? "client" : "server",
                    target: target,
                    framing: framingText,
                    seed: seed
                )
                out += "  the failing exchange: \(output) (seam report \(Self.quoted(output)))\n"
            } catch {
                Self.print(out)
                throw CommandFailure("\(output): \(error)")
            }
        }
        Self.print(out)
        throw ExitCode(3)
    }

    /// Writes `text` to standard output at once (a finding is the answer; nothing is held back).
    static func print(_ text: String) {
        let output = StandardOutput.shared
        output.write(text)
        output.flush()
    }

    /// Every call of the session file.
    static func calls(of path: String) throws -> [SessionCall] {
        do {
            let reader = try SessionReader(source: .path(path))
            var calls: [SessionCall] = []
            while let item = try reader.next() {
                if case .call(let call) = item { calls.append(call) }
            }
            return calls
        } catch {
            throw CommandFailure("\(path): \(error)")
        }
    }

    static func seconds(_ value: Double) -> String {
        value < 1 ? "\(Int(value * 1000)) ms" : value < 10 ? "\(Double(Int(value * 10)) / 10) s" : "\(Int(value)) s"
    }

    static func quoted(_ word: String) -> String {
        word.allSatisfy { $0.isLetter || $0.isNumber || "-_./:@={},+".contains($0) } ? word : "'\(word)'"
    }
}
