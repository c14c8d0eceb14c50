import ArgumentParser
import SeamCapture
import SeamCore
import SeamTrace
import SeamWatch

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
            With --method ebpf (the default when permitted: root, or CAP_BPF and CAP_PERFMON), the calls are \
            seen in the kernel as seam watch sees them, so static and Go programs are traced too. With --method \
            preload (the default otherwise), the program runs with LD_PRELOAD=libSeamPreload.so (found next to seam, or in ../lib, or at \
            $SEAM_PRELOAD); its output, input and exit code are its own, and seam exits with its exit code. \
            Calls on TCP and UDP sockets become session calls with leg=app: connection per socket, direction \
            from its role (connect()ed: client, accept()ed: server), offsets per direction, addresses in the \
            direction of the data. Children of the program are traced too. Statically linked programs and Go \
            programs make their system calls without libc: seam refuses them (exit 1) rather than produce an \
            empty trace. With --record, the program's TCP and UDP packets on the interface are captured into the \
            same session (when permitted: root or cap_net_raw), so one file holds its sends, the segments and \
            its recvs. A summary goes to standard error.
            """
    )

    @Option(help: ArgumentHelp("Write the calls to this session file (pcapng, mode 0600).", valueName: "file"))
    var record: String?

    @Flag(help: "Keep the bytes each call moved (up to 64 KiB per call) in the session file.")
    var payload = false

    @Flag(help: "With --record: do not capture the program's packets.")
    var noCapture = false

    @Option(name: .shortAndLong, help: ArgumentHelp("Interface to capture on.", valueName: "iface"))
    var interface: String = LiveCapture.loopbackInterfaceName

    @Flag(help: "Print no summary on standard error.")
    var quiet = false

    @Option(
        help: ArgumentHelp(
            "ebpf (seam watch's probes: any program, needs root or CAP_BPF+CAP_PERFMON) or preload (LD_PRELOAD). "
                + "Default: ebpf when permitted, else preload.", valueName: "method"))
    var method: TraceMethod?

    @Argument(parsing: .captureForPassthrough, help: "The program and its arguments (after --).")
    var command: [String] = []

    func validate() throws {
        if command.first == "--help" || command.first == "-h" { throw CleanExit.helpRequest(self) }
        if command.first == "--" && command.count == 1 || command.isEmpty {
            throw ValidationError("seam trace needs a program to run: seam trace [--record FILE] -- PROGRAM ARGS...")
        }
        if record?.isEmpty == true { throw ValidationError("--record needs a file name") }
    }

    func run() throws {
        let words = command.first == "--" ? Array(command.dropFirst()) : command
        let (chosen, notice) = TraceMethod.choose(method)
        if !quiet { FileHandleStderr.write("seam: trace: \(notice)\n") }
        if chosen == .ebpf {
            let run = WatchRun(
                selection: WatchSelection(followsChildren: true, snapLength: payload ? 65536 : 0), program: words,
                record: record, duration: nil, capturing: !noCapture, interface: interface, quiet: quiet,
                name: "trace")
            Glibc.exit(try run.run())
        }
        guard let library = PreloadLibrary.locate() else {
            let directory = PreloadLibrary.executableDirectory() ?? "?"
            throw CommandFailure(
                "trace: " + TraceError.noPreloadLibrary(searched: "\(directory), \(directory)/../lib").description)
        }
        let tracer = ProgramTracer(
            program: words[0], arguments: Array(words.dropFirst()), libraryPath: library, recordPath: record,
            keepsPayload: payload)
        var live: LiveCapture?
        if record != nil && !noCapture {
            live = startCapture(for: tracer)
        }
        let outcome: ProgramTracer.Outcome
        do {
            outcome = try tracer.run()
        } catch let error as TraceError {
            _ = live?.stop()
            throw CommandFailure("trace: \(error)")
        }
        if !quiet {
            let calls = outcome.calls == 1 ? "1 call" : "\(outcome.calls) calls"
            let connections = outcome.connections == 1 ? "1 connection" : "\(outcome.connections) connections"
            var text = "seam: trace: \(calls) on \(connections)"
            if live != nil { text += " and \(outcome.packets) captured packets" }
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

    /// Starts a capture of TCP and UDP on `interface` into the tracer's session; `nil` (with a warning) when
    /// capturing is not permitted or fails, since the trace is still worth having without it.
    private func startCapture(for tracer: ProgramTracer) -> LiveCapture? {
        let capture: LiveCapture
        do {
            capture = try LiveCapture(interface: interface, filter: "tcp or udp")
        } catch {
            FileHandleStderr.write("seam: trace: no capture (\(error)); calls only\n")
            return nil
        }
        let attachment = TraceCapture(
            linkType: capture.linkType, snapLength: capture.snapLength, interfaceName: interface,
            stop: { _ = capture.stop() })
        do {
            try capture.start { packet in
                attachment.add(timestamp: packet.timestamp, data: packet.data, originalLength: packet.originalLength)
            }
        } catch {
            FileHandleStderr.write("seam: trace: no capture (\(error)); calls only\n")
            return nil
        }
        tracer.capture = attachment
        return capture
    }
}
