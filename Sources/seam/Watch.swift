import ArgumentParser
import SeamCapture
import SeamWatch

#if canImport(Glibc)
import Glibc
#endif

/// `seam watch [--pid PID]... [--port PORT]... [--comm NAME]... [--record FILE] [--duration S]
/// [--snaplen N] [-- PROGRAM ARGS...]`: the real socket calls of any process, with eBPF.
struct Watch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Record the socket calls of any process with eBPF: a program seam starts, running ones, a port.",
        discussion: """
            seam watch loads a small eBPF program that sees the TCP and UDP socket system calls (read, write, \
            readv, writev, send, recv, sendto, recvfrom, sendmsg, recvmsg, sendmmsg, recvmmsg, sendfile, \
            splice, connect, accept, shutdown, close) of the selected processes, in any language, static or \
            not, already running or not: -- PROGRAM (with all its descendants), --pid (and its descendants), \
            --comm (a command name), --port (a local or remote port: alone, whoever uses it). Each call is \
            recorded with its entry and return time, pid, thread, command, fd, 4-tuple, bytes asked and \
            returned, flags, the first --snaplen bytes it moved, and at each send and recv the kernel's TCP \
            state (TCP_NODELAY, cork, segments in flight, MSS, congestion window, unsent and unread bytes). \
            With --record, the watched flows' packets are captured into the same session (leg=app), so seam \
            report shows sends, segments and recvs on one byte axis. Needs root, or CAP_BPF and CAP_PERFMON \
            (and cap_net_raw to capture). Ends when the program exits, after --duration, on SIGINT/SIGTERM, \
            or when every --pid process has exited; exits with the program's exit code.
            """
    )

    @Option(help: ArgumentHelp("Watch this running process and its descendants (repeatable).", valueName: "pid"))
    var pid: [Int32] = []

    @Option(help: ArgumentHelp("Keep only sockets with this local or remote port (repeatable).", valueName: "port"))
    var port: [UInt16] = []

    @Option(
        help: ArgumentHelp("Watch processes with this command name, as ps shows it (repeatable).", valueName: "name")
    )
    var comm: [String] = []

    @Option(
        help: ArgumentHelp("Write the calls and packets to this session file (pcapng, mode 0600).", valueName: "file")
    )
    var record: String?

    @Option(help: ArgumentHelp("Stop after this many seconds (a started program is sent SIGTERM).", valueName: "s"))
    var duration: Double?

    @Option(
        help: ArgumentHelp("Bytes of payload kept per call, 0 to 65536 (bytes beyond are counted).", valueName: "n")
    )
    var snaplen: Int = WatchSelection.defaultSnapLength

    @Flag(help: "With --record: do not capture the watched flows' packets.")
    var noCapture = false

    @Option(name: .shortAndLong, help: ArgumentHelp("Interface to capture on.", valueName: "iface"))
    var interface: String = LiveCapture.loopbackInterfaceName

    @Flag(help: "Print no summary on standard error.")
    var quiet = false

    /// For the live verdicts (with --record), and kept in the session for `seam report`.
    @OptionGroup var framing: FramingOptions

    @Argument(parsing: .captureForPassthrough, help: "The program to start and its arguments (after --).")
    var command: [String] = []

    var words: [String] { command.first == "--" ? Array(command.dropFirst()) : command }

    var selection: WatchSelection {
        WatchSelection(pids: pid, ports: port, commands: comm, followsChildren: !words.isEmpty, snapLength: snaplen)
    }

    func validate() throws {
        if command.first == "--help" || command.first == "-h" { throw CleanExit.helpRequest(self) }
        if record?.isEmpty == true { throw ValidationError("--record needs a file name") }
        if let duration, duration <= 0 { throw ValidationError("--duration needs a number of seconds above 0") }
        do {
            try selection.validate()
        } catch {
            throw ValidationError("\(error)")
        }
    }

    func run() throws {
        let run = WatchRun(
            selection: selection,
            program: words,
            record: record,
            duration: duration,
            capturing: !noCapture,
            interface: interface,
            quiet: quiet,
            name: "watch",
            framing: framing
        )
        Glibc.exit(try run.run())
    }
}
