import SeamCore
import SeamRecording
import SeamTrace

#if canImport(Glibc)
import Glibc
#endif

/// Records the socket calls of the selected processes with eBPF (`WatchProbes`) into a session, through
/// the same `CallTranslator` as `seam trace` (leg `app`), with the packets of a capture the caller attaches.
///
/// `run()`: loads and attaches the probes, selects the processes (`--pid` and the descendants they already
/// have; seam's own children when it starts the program), creates the session, starts the program, and then
/// every 10 ms takes the ring's events and the captured packets until the watch ends:
/// - the program exited (its last calls are in the ring by then; the capture gets 200 ms more for the
///   last FIN and ACK);
/// - `duration` passed (a started program is then sent SIGTERM);
/// - SIGINT, SIGTERM or SIGHUP without a program (with one, SIGTERM and SIGHUP are passed on to it and
///   SIGINT and SIGQUIT ignored: the terminal sends them to the program too, which then ends the watch);
/// - every `--pid` process has exited (when no `--comm` keeps the watch open).
///
/// **Holding.** Calls and packets are held `holdNanoseconds` (1 s) before they go to the recorder, in time
/// order: a packet is kept when its source or destination is the local endpoint of a watched socket, which
/// is known only once that socket's connect, accept or first call has been read, and a server may accept a
/// connection some time after its handshake. With `capturedPortsOnly` (the capture's filter already holds
/// the `--port`s) every packet is kept.
///
/// Not thread-safe: one watcher runs on one thread.
public final class SocketWatcher {
    /// Why a watch ended.
    public enum Ending: String, Sendable {
        case programExited = "program-exited"
        case duration
        case signal
        case processesGone = "processes-gone"
    }

    /// What a finished watch did.
    public struct Outcome: Sendable {
        /// The started program's exit code (128 + a signal), `nil` without one.
        public var exitStatus: Int32?
        /// How the started program ended (its exit code, or the signal that killed it), `nil` without one.
        public var programStatus: ChildProcess.ExitStatus? = nil
        /// The started program's process id, `nil` without one.
        public var programPid: Int32?
        public var ending: Ending
        /// Calls written (or, without a file, translated).
        public var calls: Int
        /// Captured packets of the watched sockets written.
        public var packets: Int
        public var connections: Int
        /// One line per connection: its endpoints, process and calls.
        public var summary: [String]
        /// What the kernel side could not record.
        public var losses: WatchLosses
        public var seconds: Double
    }

    public let selection: WatchSelection
    /// The program to start (`-- PROGRAM ARGS`), or empty.
    public let program: [String]
    public let recordPath: String?
    public let duration: Double?
    /// Packets captured alongside, when the caller attaches a capture before `run()`.
    public var capture: TraceCapture?
    /// Judges the calls as they are written (verdicts as soon as a flow closes), when the caller attaches it
    /// before `run()`; the caller finishes it after.
    public var live: LiveAnalysis?
    /// Whether the capture's filter already selects exactly the watched flows (`--port`).
    public var capturedPortsOnly = false
    /// Words added to the session's settings (e.g. the capture's `capture=lo filter=…`).
    public var settingsWords: [CommentWord] = []
    /// Called when the probes are attached and the program (if any) has started (tests wait for it).
    public var onReady: (() -> Void)?
    /// The ring buffer's size (tests make it small to see losses counted).
    var ringBytes = WatchProbes.ringBytes

    static let holdNanoseconds: Int64 = 1_000_000_000
    static let captureGraceNanoseconds: Int64 = 200_000_000

    private var translator = CallTranslator()
    private var sockets = WatchSockets()
    private var summary = TraceSummary()
    private var recorder: SessionRecorder?
    private var captureInterface: Int?
    private var decoder = PacketDecoder()
    private var held = HeldItems()
    private var written = 0
    private var packetsWritten = 0

    public init(selection: WatchSelection, program: [String] = [], recordPath: String?, duration: Double? = nil) {
        var selection = selection
        selection.followsChildren = selection.followsChildren || !program.isEmpty
        self.selection = selection
        self.program = program
        self.recordPath = recordPath
        self.duration = duration
    }

    /// Watches until the watch ends (see the type's doc) and writes the session. Throws before anything was
    /// watched (no privilege, a bad selection, the kernel refused the programs, no such `--pid`, the file
    /// cannot be created, the program cannot start); once the program has started, always waits for it.
    public func run() throws(WatchError) -> Outcome {
        try selection.validate()
        let started = WatchClock.read(CLOCK_MONOTONIC)
        // Signals are held from the start: one that comes while the probes load is passed on to the program
        // once it runs (or ends the watch), as it would be later, instead of killing seam before the file exists.
        let handled: [Int32] = [SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGCHLD]
        var blocked = sigset_t()
        var previous = sigset_t()
        sigemptyset(&blocked)
        for signal in handled { sigaddset(&blocked, signal) }
        pthread_sigmask(SIG_BLOCK, &blocked, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }

        let probes = try WatchProbes(selection: selection, ringBytes: ringBytes)
        defer { probes.close() }
        if selection.followsChildren { try probes.select(pid: getpid(), followOnly: true) }
        for pid in selection.pids {
            guard ProcessTree.isRunning(pid) else { throw .noSuchProcess(pid) }
            try probes.select(pid: pid)
            for child in ProcessTree.descendants(of: pid) { try probes.select(pid: child) }
        }
        try openRecorder()

        var child: WatchedProgram?
        if !program.isEmpty {
            do {
                child = try WatchedProgram(arguments: program, mask: previous)
            } catch {
                _ = try? recorder?.close()
                throw error
            }
        }
        onReady?()
        let ending = watch(probes, child: child, signals: handled, started: started)
        if ending != .programExited { child?.terminate() }
        // The program's last calls are in the ring now; the capture gets a little longer for the last ACKs.
        let finishing = WatchClock.read(CLOCK_MONOTONIC)
        while WatchClock.read(CLOCK_MONOTONIC) - finishing < Self.captureGraceNanoseconds {
            take(probes, milliseconds: 10)
            takePackets()
        }
        take(probes, milliseconds: 0)
        capture?.stop()
        takePackets()
        release(upTo: .max)
        let losses = probes.losses
        try finish(losses)
        return Outcome(
            exitStatus: child?.reap(),
            programStatus: child?.status,
            programPid: child?.pid,
            ending: ending,
            calls: written,
            packets: packetsWritten,
            connections: translator.connectionCount,
            summary: summary.lines(),
            losses: losses,
            seconds: Double(WatchClock.read(CLOCK_MONOTONIC) - started) / 1e9
        )
    }

    private func watch(_ probes: WatchProbes, child: WatchedProgram?, signals: [Int32], started: Int64) -> Ending {
        // Reading the events must not take CPU from what is watched: this thread runs at nice 10 (Linux nice
        // is per thread; the program was started before), and the ring absorbs what it falls behind on.
        let previousPriority = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
        defer { setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, previousPriority) }
        var lastLiveness = started
        var lastClockRefresh = started
        while true {
            take(probes, milliseconds: 10)
            takePackets()
            let now = WatchClock.read(CLOCK_MONOTONIC)
            release(upTo: Timestamp.now().nanoseconds - Self.holdNanoseconds)
            if let child, child.reap() != nil { return .programExited }
            if let duration, Double(now - started) / 1e9 >= duration { return .duration }
            if takeSignals(signals, child: child) { return .signal }
            if now - lastLiveness > 100_000_000 {
                lastLiveness = now
                if child == nil, !selection.pids.isEmpty, selection.commands.isEmpty,
                    !selection.pids.contains(where: ProcessTree.isRunning)
                {
                    return .processesGone
                }
            }
            if now - lastClockRefresh > 1_000_000_000 {
                lastClockRefresh = now
                sockets.clock.refresh()
            }
        }
    }

    /// Takes pending signals; returns whether one ends the watch. With a program, SIGTERM and SIGHUP go on
    /// to it (its exit ends the watch); SIGINT, SIGQUIT and SIGCHLD are consumed.
    private func takeSignals(_ signals: [Int32], child: WatchedProgram?) -> Bool {
        var pending = sigset_t()
        sigpending(&pending)
        var ends = false
        for signal in signals where sigismember(&pending, signal) == 1 {
            var only = sigset_t()
            sigemptyset(&only)
            sigaddset(&only, signal)
            var received: Int32 = 0
            sigwait(&only, &received)
            if let child {
                if received == SIGTERM || received == SIGHUP { child.signal(received) }
            } else if received == SIGINT || received == SIGTERM || received == SIGHUP {
                ends = true
            }
        }
        return ends
    }

    private func take(_ probes: WatchProbes, milliseconds: Int32) {
        probes.poll(milliseconds: milliseconds) { event in
            for call in translator.translate(sockets.record(for: event)) {
                summary.add(call)
                held.add(call)
            }
        }
    }

    private func takePackets() {
        guard let capture, captureInterface != nil else { return }
        for packet in capture.take() {
            held.add(packet: packet.data, timestamp: packet.timestamp, originalLength: packet.originalLength)
        }
    }

    /// Hands every held item stamped up to `horizon` to the recorder, in time order; packets only when they
    /// belong to a watched socket.
    private func release(upTo horizon: Int64) {
        for item in held.take(upTo: horizon) {
            switch item {
            case .call(let call):
                written += 1
                recorder?.record(call)
            case .packet(let data, let timestamp, let originalLength):
                guard let recorder, let captureInterface,
                    capturedPortsOnly || isWatched(data, at: timestamp, originalLength: originalLength)
                else { continue }
                packetsWritten += 1
                recorder.record(
                    packet: data,
                    timestamp: timestamp,
                    originalLength: originalLength,
                    interface: captureInterface
                )
            }
        }
    }

    private func isWatched(_ data: [UInt8], at timestamp: Timestamp, originalLength: Int) -> Bool {
        guard let capture else { return false }
        let record = PacketRecord(
            timestamp: timestamp,
            linkType: capture.linkType,
            originalLength: originalLength,
            data: data[...]
        )
        return translator.owns(record, decoder: &decoder)
    }

    private func openRecorder() throws(WatchError) {
        guard let recordPath else { return }
        var settings = SessionSettings()
        settings["mode"] = "watch"
        settings["method"] = "ebpf"
        if !program.isEmpty { settings["program"] = program[0] }
        if !selection.pids.isEmpty { settings["pids"] = selection.pids.map { String($0) }.joined(separator: ",") }
        if !selection.ports.isEmpty { settings["ports"] = selection.ports.map { String($0) }.joined(separator: ",") }
        if !selection.commands.isEmpty { settings["comms"] = selection.commands.joined(separator: ",") }
        settings["snaplen"] = String(selection.snapLength)
        settings["payload"] = selection.snapLength > 0 ? "on" : "off"
        for word in settingsWords { settings[word.key] = word.value }
        do {
            let recorder = try SessionRecorder(
                path: recordPath,
                settings: settings,
                recorder: "watched programs (eBPF)",
                mode: .lossless,
                live: live
            )
            if let capture {
                captureInterface = try recorder.addCaptureInterface(
                    linkType: capture.linkType,
                    snapLength: capture.snapLength,
                    name: capture.interfaceName
                )
            }
            self.recorder = recorder
        } catch {
            throw .cannotRecord(path: recordPath, reason: "\(error)")
        }
    }

    /// States the losses on the calls interface (an interface statistics block: received = calls seen,
    /// dropped = calls lost, with a comment saying why) and closes the file.
    private func finish(_ losses: WatchLosses) throws(WatchError) {
        guard let recorder, let recordPath else { return }
        if let words = losses.description {
            recorder.noteInterfaceStatistics(
                interface: SessionWriter.callsInterface,
                received: UInt64(written) + losses.calls,
                dropped: losses.calls,
                comment: "seam watch: not recorded: \(words)"
            )
        }
        do {
            try recorder.close()
        } catch {
            throw .cannotRecord(path: recordPath, reason: "\(error)")
        }
    }
}

@available(*, unavailable)
extension SocketWatcher: Sendable {}
