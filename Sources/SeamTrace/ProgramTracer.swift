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
/// `LD_PRELOAD` (the library appended to any existing value), `SEAM_TRACE_RING` (the path of the shared ring,
/// a 16 MiB file in /dev/shm that each traced process opens by that name; see `TraceRing`) and
/// `SEAM_TRACE_PAYLOAD`. Children of the program inherit them, so they are traced too (records carry their
/// pid), even when they close every inherited descriptor. Processes that ran without the library (static,
/// Go, setuid, or exec'd with the variables removed) are listed in `Outcome.untraced`.
///
/// `run()` starts the program as a `ChildProcess` (its end seen through a pidfd, never a signal; SIGTERM,
/// SIGHUP, SIGINT and SIGQUIT passed on) and drains the ring on the calling thread until the program has
/// ended, then for a bounded time (`ExitDrain`: at once when no traced process is left, else until 100 ms
/// without records, at most 2 s, or at a further signal). The `SessionRecorder` holds calls for its reorder
/// window and writes them in timestamp order, since threads stamp and publish their records independently.
public final class ProgramTracer {
    /// What a finished trace did.
    public struct Outcome: Sendable {
        /// The program's exit code, or 128 + the signal that ended it (as a shell reports it).
        public var exitStatus: Int32
        /// How the program ended.
        public var status: ChildProcess.ExitStatus
        /// Calls written (or, without a file, translated).
        public var calls: Int
        /// Captured packets of the traced sockets written.
        public var packets: Int
        public var connections: Int
        /// One line per connection: its endpoints and calls, e.g. `send 5, send 4`.
        public var summary: [String]
        /// Records the program dropped because seam trace did not keep up (the ring stayed full for 1 s).
        public var dropped: UInt64
        /// Processes of the program that ran without the library: their calls are missing.
        public var untraced: [UntracedProcess]
        /// Processes of the program still running when the trace stopped reading (their later calls are not
        /// recorded), and why it stopped.
        public var stillRunning: [UInt32]
        public var drainStop: ExitDrain.StopReason?
        /// Bytes of records the ring still held when reading stopped (not recorded).
        public var unreadBytes: UInt64
    }

    public let program: String
    public let arguments: [String]
    public let libraryPath: String
    public let recordPath: String?
    public let keepsPayload: Bool
    /// How long reading goes on after the program's end (see `ExitDrain`).
    public var drain = ExitDrain()
    private var translator = CallTranslator()
    private var processes = ProcessTracker()
    private var recorder: SessionRecorder?
    /// Packets captured alongside, when the caller attaches a capture before `run()`.
    public var capture: TraceCapture?
    /// Judges the calls as they are written (verdicts as soon as a flow closes), when the caller attaches it
    /// before `run()`; the caller finishes it after.
    public var live: LiveAnalysis?
    /// More settings for the session file (the framing and pairing the user gave, for `seam report`).
    public var settingsWords: [CommentWord] = []
    private var captureInterface: Int?
    private var decoder = PacketDecoder()
    private var packetsWritten = 0
    /// Captured packets not yet judged: whether one is the program's is known once its socket's first call has
    /// been read, so packets wait 100 ms here before they go to the recorder (or away).
    private var waitingPackets: [(timestamp: Timestamp, data: [UInt8], originalLength: Int)] = []
    private var written = 0
    private var dropped: UInt64 = 0
    private var summary = TraceSummary()
    /// The calls read in the current drain round, handed to the recorder at its end.
    private var roundCalls: [SessionCall] = []

    /// - Parameters:
    ///   - program: a path, or a name looked up in `PATH`.
    ///   - arguments: the program's arguments (without argv[0]).
    ///   - recordPath: the session file (pcapng, mode 0600); `nil` records nothing, the outcome still counts.
    public init(
        program: String,
        arguments: [String],
        libraryPath: String,
        recordPath: String?,
        keepsPayload: Bool
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
                for word in settingsWords { settings[word.key] = word.value }
                // Its writer thread runs at nice 10, as the drain does: the trace must not take the CPU from the
                // program it traces.
                let recorder = try SessionRecorder(
                    path: recordPath, settings: settings, recorder: "a traced program", mode: .lossless, live: live,
                    writerNice: 10)
                if let capture {
                    captureInterface = try recorder.addCaptureInterface(
                        linkType: capture.linkType,
                        snapLength: capture.snapLength,
                        name: capture.interfaceName
                    )
                }
                self.recorder = recorder
            } catch {
                throw TraceError.cannotRecord(path: recordPath, reason: "\(error)")
            }
        }
        let ring = try TraceRing()
        defer { ring.remove() }
        let child = try ChildProcess(path: path, arguments: [program] + arguments, environment: environment(ring))
        // The child's signal handlers stay until the file is finished: a signal meanwhile is counted, not fatal.
        defer { withExtendedLifetime(child) {} }
        processes.expect(program: UInt32(child.pid), path: path)
        let status = drain(ring, child: child)
        ring.remove()
        dropped = ring.dropped
        if let capture {
            capture.stop()
            takePackets()
        }
        let untraced = processes.untraced()
        try finish(untraced: untraced)
        return Outcome(
            exitStatus: status.shellStatus,
            status: status,
            calls: written,
            packets: packetsWritten,
            connections: translator.connectionCount,
            summary: summary.lines(),
            dropped: dropped,
            untraced: untraced,
            stillRunning: drain.stopReason == .drained ? [] : processes.living(),
            drainStop: drain.stopReason,
            unreadBytes: ring.unreadBytes
        )
    }

    /// The program's environment: this one, with the library added to LD_PRELOAD and the ring's variables.
    private func environment(_ ring: TraceRing) -> [String] {
        var environment: [String] = []
        var preload = libraryPath
        var index = 0
        while let entry = environ[index] {
            let text = String(cString: entry)
            index += 1
            if text.hasPrefix("LD_PRELOAD=") {
                let existing = text.dropFirst("LD_PRELOAD=".count)
                if !existing.isEmpty { preload = existing + ":" + libraryPath }
            } else if !text.hasPrefix("SEAM_TRACE_") {
                environment.append(text)
            }
        }
        return environment + [
            "LD_PRELOAD=" + preload, "SEAM_TRACE_RING=" + ring.path, "SEAM_TRACE_PAYLOAD=\(keepsPayload ? 1 : 0)",
        ]
    }

    /// Reads records until the program has ended and the drain after it says stop; returns how it ended.
    /// While the program runs, the wait for its end is the pause between rounds (1 ms, 10 ms while idle; none
    /// while the ring is more than a quarter full), so its end is seen at once.
    private func drain(_ ring: TraceRing, child: ChildProcess) -> ChildProcess.ExitStatus {
        // Reading the trace must not take CPU from what it traces: this thread runs at nice 10 (Linux nice
        // is per thread), and the ring (16 MiB, about 100 000 calls) absorbs the bursts it falls behind on.
        let previousPriority = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
        defer { setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, previousPriority) }
        var idleRounds = 0
        while true {
            let status = child.exitStatus
            let writersLeft = status == nil || !processes.living().isEmpty
            // After the end, with no writer left, an entry still pending was abandoned (its writer was killed).
            let abandonAfter: Int64 = writersLeft ? 1_000_000_000 : 0
            var took = 0
            while let message = ring.next(abandonAfter: abandonAfter) {
                took += 1
                if let record = TraceRecord(message: message) { accept(record) }
            }
            // The round's calls go to the recorder together: one hand-over, one wake-up of its writer.
            recorder?.record(contentsOf: roundCalls)
            roundCalls.removeAll(keepingCapacity: true)
            takePackets()
            writeHeld(olderThan: Timestamp.now().nanoseconds - 100_000_000)
            idleRounds = took > 0 ? 0 : idleRounds + 1
            if status != nil {
                if drain.shouldStop(
                    now: Timestamp.now().nanoseconds,
                    tookEvents: took > 0,
                    isEmpty: ring.isEmpty,
                    producersAlive: writersLeft,
                    interruptions: child.interruptions
                ) {
                    return status!
                }
                if took == 0 { usleep(1000) }
            } else if ring.unreadBytes < UInt64(ring.capacity / 4) {
                // Rounds are at least 1 ms apart while the ring has room: reading in batches keeps this thread
                // from competing for the CPU with the program it traces, call by call.
                _ = child.wait(milliseconds: idleRounds > 100 ? 10 : 1)
            }
        }
    }

    private func accept(_ record: TraceRecord) {
        if let event = ProcessEvent(record: record) {
            processes.note(event)
            return
        }
        var record = record
        record.command = processes.command(of: record.pid)
        for call in translator.translate(record) {
            summary.add(call)
            written += 1
            roundCalls.append(call)
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
                packet: packet.data,
                timestamp: packet.timestamp,
                originalLength: packet.originalLength,
                interface: captureInterface
            )
        }
    }

    /// Whether a captured packet belongs to a traced socket: its source or destination is one's local endpoint.
    private func isTraced(_ data: [UInt8], at timestamp: Timestamp, originalLength: Int) -> Bool {
        guard let capture else { return false }
        let record = PacketRecord(
            timestamp: timestamp,
            linkType: capture.linkType,
            originalLength: originalLength,
            data: data[...]
        )
        return translator.owns(record, decoder: &decoder)
    }

    private func finish(untraced: [UntracedProcess]) throws {
        writeHeld(olderThan: Int64.max)
        guard let recorder, let recordPath else { return }
        // The file says what is missing from it: records the ring dropped, processes that ran untraced.
        if dropped > 0 || !untraced.isEmpty {
            var words: [String] = []
            if dropped > 0 { words.append("\(dropped) calls not recorded (the trace could not keep up)") }
            if !untraced.isEmpty {
                words.append(
                    "untraced processes (their calls are missing): "
                        + untraced.map(\.description).joined(separator: "; ")
                )
            }
            recorder.noteInterfaceStatistics(
                interface: SessionWriter.callsInterface,
                received: UInt64(written) + dropped,
                dropped: dropped,
                comment: "seam: " + words.joined(separator: "; ")
            )
        }
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
