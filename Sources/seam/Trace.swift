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
            preload (the default otherwise), the program runs with LD_PRELOAD=libSeamPreload.so (found next to \
            seam, in ../lib/seam where make install puts it, in ../lib, or at $SEAM_PRELOAD). Either way its \
            output, input and exit code are its own. \
            Calls on TCP and UDP sockets (send, sendto, sendmsg, sendmmsg, write, writev, sendfile, splice, recv, recvfrom, recvmsg, recvmmsg, \
            read, readv, connect, accept, shutdown, close) become session calls with leg=app: connection per \
            socket, direction from its role (connect()ed: client, accept()ed: server), offsets per direction, \
            addresses in the direction of the data, entry and return times (a send is placed at its entry, a \
            recv at its return). sendfile and splice are counted without payload (data=kernel). \
            Children of the program are traced too, also those that close inherited descriptors \
            (subprocess.Popen): each finds the trace by the name in SEAM_TRACE_RING. With --record, the program's \
            TCP and UDP packets on the interface are captured into the same session (when permitted: root or \
            cap_net_raw), so one file holds its sends, the segments and its recvs. A summary goes to standard \
            error.

            Untraceable programs (preload): a statically linked program or a Go program makes its system \
            calls without libc, so LD_PRELOAD cannot see them. As the program itself seam refuses it (exit 1) rather than \
            produce an empty trace. Run by the program (sh -c ./gobinary, a setuid program, an exec with \
            LD_PRELOAD removed), such a process is found and named in a warning on standard error, and in the \
            session file; its calls are missing.

            Exit status: the program's (128 + N when signal N ended it); 1 when the program exited 0 but some \
            of its processes ran untraced (the trace is incomplete), unless --allow-untraced; 1 when the \
            trace could not start. SIGTERM, SIGHUP, SIGINT and SIGQUIT sent to seam are passed on to the \
            program (^C from the terminal reaches it directly); seam then finishes the file and exits. Reading \
            stops at most 2 s after the program's end (at once when none of its processes is left); children \
            still running then are named.
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

    @Flag(help: "Print no summary on standard error (warnings are still printed).")
    var quiet = false

    @Flag(help: "Exit with the program's status even when some of its processes could not be traced.")
    var allowUntraced = false

    @Option(
        help: ArgumentHelp(
            "ebpf (seam watch's probes: any program, needs root or CAP_BPF+CAP_PERFMON) or preload (LD_PRELOAD). "
                + "Default: ebpf when permitted, else preload.", valueName: "method"))
    var method: TraceMethod?

    /// For the live verdicts, and kept in the session for `seam report`.
    @OptionGroup var framing: FramingOptions

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
                name: "trace", framing: framing)
            Glibc.exit(try run.run())
        }
        guard let library = PreloadLibrary.locate() else {
            let directory = PreloadLibrary.executableDirectory() ?? "?"
            throw CommandFailure(
                "trace: " + TraceError.noPreloadLibrary(
                    searched: PreloadLibrary.searchDirectories(nextTo: directory).joined(separator: ", ")).description)
        }
        let verdicts = LiveVerdicts(record: record, name: "trace", options: try framing.reportOptions)
        let tracer = ProgramTracer(
            program: words[0], arguments: Array(words.dropFirst()), libraryPath: library, recordPath: verdicts.path,
            keepsPayload: payload)
        tracer.live = verdicts.analysis
        tracer.settingsWords = framing.settings.map { CommentWord($0.0, $0.1) }
        var live: LiveCapture?
        if record != nil && !noCapture {
            live = startCapture(for: tracer)
        }
        let outcome: ProgramTracer.Outcome
        do {
            outcome = try tracer.run()
        } catch let error as TraceError {
            _ = live?.stop()
            _ = verdicts.finish()
            throw CommandFailure("trace: \(error)")
        }
        let judged = verdicts.finish()
        var text = ""
        if !quiet {
            text += "seam: trace: \(counted(outcome.calls, "call")) on \(counted(outcome.connections, "connection"))"
            if live != nil { text += " and \(counted(outcome.packets, "captured packet"))" }
            if let record { text += ", written to \(record)" }
            text += outcome.status.signal == nil
                ? "; \(words[0]) exited with \(outcome.exitStatus)\n"
                : "; \(words[0]) was ended by \(outcome.status) (status \(outcome.exitStatus))\n"
            for line in outcome.summary { text += "  \(line)\n" }
            if outcome.calls > 0 { text += "seam: trace: \(judged)\n" }
            if outcome.calls == 0 && outcome.untraced.isEmpty {
                text +=
                    "seam: trace: no socket call was seen: \(words[0]) made none through libc (calls made "
                    + "with io_uring or raw system calls are not seen)\n"
            }
        }
        text += Self.warnings(outcome, program: words[0])
        let status = Self.exitStatus(outcome, allowUntraced: allowUntraced)
        if status != outcome.exitStatus {
            text +=
                "seam: trace: the trace is incomplete: exit \(status) (\(words[0]) exited with \(outcome.exitStatus); "
                + "--allow-untraced keeps its status)\n"
        }
        FileHandleStderr.write(text)
        Glibc.exit(status)
    }

    /// The exit status rule: the program's, or 1 when it succeeded but some of its processes ran untraced.
    static func exitStatus(_ outcome: ProgramTracer.Outcome, allowUntraced: Bool) -> Int32 {
        outcome.exitStatus == 0 && !outcome.untraced.isEmpty && !allowUntraced ? 1 : outcome.exitStatus
    }

    /// What is missing from the trace, in words (printed even with --quiet).
    static func warnings(_ outcome: ProgramTracer.Outcome, program: String) -> String {
        var text = ""
        if !outcome.untraced.isEmpty {
            let count = counted(outcome.untraced.count, "process", plural: "processes")
            text +=
                "seam: trace: warning: \(count) of \(program) ran without the trace; their socket calls are missing:\n"
            for process in outcome.untraced { text += "  \(process)\n" }
        }
        if outcome.dropped > 0 {
            text += "seam: trace: warning: \(outcome.dropped) calls were not recorded (the trace could not keep up)\n"
        }
        if !outcome.stillRunning.isEmpty {
            let why: String
            switch outcome.drainStop {
            case .interrupted: why = "when interrupted"
            case .limit: why = "2 s after \(program) exited"
            default: why = "100 ms after the last call (\(program) had exited)"
            }
            text +=
                "seam: trace: warning: stopped reading \(why); still running (later calls not recorded): pid "
                + outcome.stillRunning.map(String.init).joined(separator: ", ") + "\n"
        }
        return text
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
