import ArgumentParser
import SeamTrace

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `seam trace [--record FILE] [--payload] -- PROGRAM ARGS...`: the real send and recv calls of a program.
struct Trace: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a program and record every socket call it makes (send, recv, connect, accept, close …).",
        discussion: """
            The program runs with LD_PRELOAD=libSeamPreload.so (found next to seam, or in ../lib, or at \
            $SEAM_PRELOAD); its output, input and exit code are its own, and seam exits with its exit code. \
            Calls on TCP and UDP sockets become session calls with leg=app: connection per socket, direction \
            from its role (connect()ed: client, accept()ed: server), offsets per direction, addresses in the \
            direction of the data. Children of the program are traced too. Statically linked programs and Go \
            programs make their system calls without libc: seam refuses them (exit 1) rather than produce an \
            empty trace. A summary goes to standard error.
            """
    )

    @Option(help: ArgumentHelp("Write the calls to this session file (pcapng, mode 0600).", valueName: "file"))
    var record: String?

    @Flag(help: "Keep the bytes each call moved (up to 64 KiB per call) in the session file.")
    var payload = false

    @Flag(help: "Print no summary on standard error.")
    var quiet = false

    @Argument(parsing: .captureForPassthrough, help: "The program and its arguments (after --).")
    var command: [String] = []

    func validate() throws {
        if command.first == "--" && command.count == 1 || command.isEmpty {
            throw ValidationError("seam trace needs a program to run: seam trace [--record FILE] -- PROGRAM ARGS...")
        }
        if record?.isEmpty == true { throw ValidationError("--record needs a file name") }
    }

    func run() throws {
        let words = command.first == "--" ? Array(command.dropFirst()) : command
        guard let library = PreloadLibrary.locate() else {
            let directory = PreloadLibrary.executableDirectory() ?? "?"
            throw CommandFailure("trace: " + TraceError.noPreloadLibrary(searched: "\(directory), \(directory)/../lib").description)
        }
        let tracer = ProgramTracer(
            program: words[0], arguments: Array(words.dropFirst()), libraryPath: library, recordPath: record,
            keepsPayload: payload)
        let outcome: ProgramTracer.Outcome
        do {
            outcome = try tracer.run()
        } catch let error as TraceError {
            throw CommandFailure("trace: \(error)")
        }
        if !quiet {
            let calls = outcome.calls == 1 ? "1 call" : "\(outcome.calls) calls"
            let connections = outcome.connections == 1 ? "1 connection" : "\(outcome.connections) connections"
            var text = "seam: trace: \(calls) on \(connections)"
            if let record { text += ", written to \(record)" }
            text += "; \(words[0]) exited with \(outcome.exitStatus)\n"
            for line in outcome.summary { text += "  \(line)\n" }
            if outcome.dropped > 0 {
                text += "seam: trace: \(outcome.dropped) calls were not recorded (the trace could not keep up)\n"
            }
            FileHandleStderr.write(text)
        }
        Glibc.exit(outcome.exitStatus)
    }
}
