import SeamCore
import SeamRecording

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs a program with SeamPreload and records its socket calls.
///
/// The program gets the same arguments, standard input, output and error and environment, plus
/// `LD_PRELOAD` (the library appended to any existing value), `SEAM_TRACE_FD` (the shared ring, a 16 MiB
/// file in /dev/shm, at a descriptor of 100 or above; see `TraceRing`) and `SEAM_TRACE_PAYLOAD`. Children
/// of the program inherit all three, so they are traced too (records carry their pid).
///
/// `run()` drains the ring on the calling thread until the program has exited and the ring has stayed
/// empty for 100 ms. Calls are held for 100 ms and written in timestamp order, since threads stamp and
/// publish their records independently.
///
/// SIGINT and SIGQUIT are ignored while the program runs (the terminal sends them to the program too, and
/// the trace must outlive it to finish the file); SIGTERM and SIGHUP are passed on to the program.
public final class ProgramTracer {
    /// What a finished trace did.
    public struct Outcome: Sendable {
        /// The program's exit code, or 128 + the signal that ended it (as a shell reports it).
        public var exitStatus: Int32
        /// Calls written (or, without a file, translated).
        public var calls: Int
        /// Captured packets of the traced sockets written.
        public var packets: Int
        public var connections: Int
        /// One line per connection: its endpoints and calls, e.g. `send 5, send 4`.
        public var summary: [String]
        /// Records the program dropped because seam trace did not keep up (the ring stayed full for 1 s).
        public var dropped: UInt64
    }

    public let program: String
    public let arguments: [String]
    public let libraryPath: String
    public let recordPath: String?
    public let keepsPayload: Bool
    private var translator = CallTranslator()
    private var recorder: SessionRecorder?
    /// Packets captured alongside, when the caller attaches a capture before `run()`.
    public var capture: TraceCapture?
    private var captureInterface: Int?
    private var decoder = PacketDecoder()
    private var packetsWritten = 0
    /// Captured packets not yet judged: whether one is the program's is known once its socket's first call has
    /// been read, so packets wait 100 ms here before they go to the recorder (or away).
    private var waitingPackets: [(timestamp: Timestamp, data: [UInt8], originalLength: Int)] = []
    private var written = 0
    private var dropped: UInt64 = 0
    private var summary = TraceSummary()

    /// - Parameters:
    ///   - program: a path, or a name looked up in `PATH`.
    ///   - arguments: the program's arguments (without argv[0]).
    ///   - recordPath: the session file (pcapng, mode 0600); `nil` records nothing, the outcome still counts.
    public init(
        program: String, arguments: [String], libraryPath: String, recordPath: String?, keepsPayload: Bool
    ) {
        self.program = program
        self.arguments = arguments
        self.libraryPath = libraryPath
        self.recordPath = recordPath
        self.keepsPayload = keepsPayload
    }

    /// Checks that the program can be traced: it exists and loads libc dynamically.
    public static func check(program: String) throws -> String {
        guard let path = ProgramLinkage.resolve(program) else {
            throw TraceError.cannotRun(program: program, reason: "not found or not executable")
        }
        switch ProgramLinkage.inspect(path: path) {
        case .staticallyLinked:
            throw TraceError.untraceable(program: program, reason: "\(path) is statically linked (no ELF interpreter)")
        case .goRuntime:
            throw TraceError.untraceable(program: program, reason: "\(path) is a Go program")
        case .dynamic, .unknown:
            return path
        }
    }

    /// Runs the program to its end and writes the session. Throws before the program starts (not found,
    /// not traceable, file not writable); once it has started, always waits for it.
    public func run() throws -> Outcome {
        let path = try Self.check(program: program)
        if let recordPath {
            do {
                var settings = SessionSettings()
                settings["mode"] = "trace"
                settings["program"] = program
                settings["payload"] = keepsPayload ? "on" : "off"
                let recorder = try SessionRecorder(
                    path: recordPath, settings: settings, recorder: "a traced program", mode: .lossless)
                if let capture {
                    captureInterface = try recorder.addCaptureInterface(
                        linkType: capture.linkType, snapLength: capture.snapLength, name: capture.interfaceName)
                }
                self.recorder = recorder
            } catch {
                throw TraceError.cannotRecord(path: recordPath, reason: "\(error)")
            }
        }
        let ring = try TraceRing()
        let childChannel = fcntl(ring.fileDescriptor, F_DUPFD_CLOEXEC, 100)
        guard childChannel >= 0 else { throw TraceError.channel(String(cString: strerror(errno))) }

        let passed: [Int32] = [SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGCHLD]
        var blocked = sigset_t()
        var previous = sigset_t()
        sigemptyset(&blocked)
        for signal in passed { sigaddset(&blocked, signal) }
        pthread_sigmask(SIG_BLOCK, &blocked, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }

        let pid: pid_t
        do {
            pid = try spawn(path: path, channel: childChannel, mask: previous)
        } catch {
            close(childChannel)
            throw error
        }
        close(childChannel)
        let status = drain(ring, child: pid, signals: passed)
        dropped = ring.dropped
        if let capture {
            capture.stop()
            takePackets()
        }
        try finish()
        return Outcome(
            exitStatus: status, calls: written, packets: packetsWritten, connections: translator.connectionCount,
            summary: summary.lines(),
            dropped: dropped)
    }

    private func spawn(path: String, channel: Int32, mask: sigset_t) throws -> pid_t {
        var environment: [String] = []
        var preload = libraryPath
        var index = 0
        while let entry = environ[index] {
            let text = String(cString: entry)
            index += 1
            if text.hasPrefix("LD_PRELOAD=") {
                let existing = text.dropFirst("LD_PRELOAD=".count)
                if !existing.isEmpty { preload = existing + ":" + libraryPath }
            } else if !text.hasPrefix("SEAM_TRACE_FD=") && !text.hasPrefix("SEAM_TRACE_PAYLOAD=") {
                environment.append(text)
            }
        }
        environment += [
            "LD_PRELOAD=" + preload, "SEAM_TRACE_FD=\(channel)", "SEAM_TRACE_PAYLOAD=\(keepsPayload ? 1 : 0)",
        ]
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // dup2 onto itself clears FD_CLOEXEC (glibc ≥ 2.29), so only the channel survives exec.
        posix_spawn_file_actions_adddup2(&actions, channel, channel)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var childMask = mask
        posix_spawnattr_setsigmask(&attributes, &childMask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        var pid: pid_t = 0
        let code = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        guard code == 0 else { throw TraceError.cannotRun(program: program, reason: String(cString: strerror(code))) }
        return pid
    }

    /// Reads records until the program has exited and the ring has stayed empty for 100 ms (children that
    /// outlive it may still write); returns the exit status. Sleeps 1 ms when the ring is empty, backing off
    /// to 10 ms while the program is idle.
    private func drain(_ ring: TraceRing, child: pid_t, signals: [Int32]) -> Int32 {
        // Reading the trace must not take CPU from what it traces: this thread runs at nice 10 (Linux nice
        // is per thread), and the ring (16 MiB, about 100 000 calls) absorbs the bursts it falls behind on.
        let previousPriority = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
        defer { setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, previousPriority) }
        var exitStatus: Int32?
        var quietSince: Int64?
        var idleRounds = 0
        while true {
            var took = 0
            while let message = ring.next() {
                took += 1
                if let record = TraceRecord(message: message) { accept(record) }
            }
            takePackets()
            let now = Timestamp.now().nanoseconds
            writeHeld(olderThan: now - 100_000_000)
            if exitStatus == nil {
                exitStatus = reap(child)
                forwardSignals(signals, to: child)
            }
            if exitStatus != nil {
                if took > 0 || !ring.isEmpty {
                    quietSince = nil
                } else if let since = quietSince {
                    if now - since > 100_000_000 { break }
                } else {
                    quietSince = now
                }
            }
            idleRounds = took > 0 ? 0 : idleRounds + 1
            if took == 0 { usleep(idleRounds > 100 ? 10_000 : 1_000) }
        }
        return exitStatus ?? 1
    }

    private func reap(_ child: pid_t) -> Int32? {
        var status: Int32 = 0
        let result = waitpid(child, &status, WNOHANG)
        guard result == child else { return result < 0 && errno == ECHILD ? 1 : nil }
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }

    /// Takes pending signals: SIGTERM and SIGHUP go on to the program, SIGINT/SIGQUIT/SIGCHLD are consumed.
    private func forwardSignals(_ signals: [Int32], to child: pid_t) {
        var pending = sigset_t()
        sigpending(&pending)
        for signal in signals where sigismember(&pending, signal) == 1 {
            var only = sigset_t()
            sigemptyset(&only)
            sigaddset(&only, signal)
            var received: Int32 = 0
            sigwait(&only, &received)
            if received == SIGTERM || received == SIGHUP { kill(child, received) }
        }
    }

    private func accept(_ record: TraceRecord) {
        for call in translator.translate(record) {
            summary.add(call)
            written += 1
            recorder?.record(call)
        }
    }

    private func takePackets() {
        guard let capture, captureInterface != nil else { return }
        waitingPackets += capture.take()
    }

    /// Hands the waiting packets stamped before `horizon` that belong to a traced socket to the recorder.
    private func writeHeld(olderThan horizon: Int64) {
        guard let captureInterface, let recorder, !waitingPackets.isEmpty else { return }
        let ready = waitingPackets.filter { $0.timestamp.nanoseconds <= horizon }
        guard !ready.isEmpty else { return }
        waitingPackets.removeAll { $0.timestamp.nanoseconds <= horizon }
        for packet in ready where isTraced(packet.data, at: packet.timestamp, originalLength: packet.originalLength) {
            packetsWritten += 1
            recorder.record(
                packet: packet.data, timestamp: packet.timestamp, originalLength: packet.originalLength,
                interface: captureInterface)
        }
    }

    /// Whether a captured packet belongs to a traced socket: its source or destination is one's local endpoint.
    private func isTraced(_ data: [UInt8], at timestamp: Timestamp, originalLength: Int) -> Bool {
        guard let capture else { return false }
        let record = PacketRecord(
            timestamp: timestamp, linkType: capture.linkType, originalLength: originalLength, data: data[...])
        guard case .packet(let packet) = decoder.decode(record) else { return false }
        let ports: (UInt16, UInt16)
        switch packet.transport {
        case .tcp(let header): ports = (header.sourcePort, header.destinationPort)
        case .udp(let header): ports = (header.sourcePort, header.destinationPort)
        case .other: return false
        }
        let endpoints = translator.localEndpoints
        return endpoints.contains(Endpoint(address: packet.source, port: ports.0))
            || endpoints.contains(Endpoint(address: packet.destination, port: ports.1))
    }

    private func finish() throws {
        writeHeld(olderThan: Int64.max)
        guard let recorder, let recordPath else { return }
        do {
            try recorder.close()
        } catch {
            throw TraceError.cannotRecord(path: recordPath, reason: "\(error)")
        }
    }
}

/// Not thread-safe: one tracer runs one program on one thread.
@available(*, unavailable)
extension ProgramTracer: Sendable {}
