import SeamCapture
import SeamCore
import SeamTrace
import SeamWatch

/// One run of the eBPF recorder, shared by `seam watch` and `seam trace --method ebpf`: the capture of the
/// watched flows beside it (when recording and permitted), the watch, and the summary on stderr.
struct WatchRun {
    var selection: WatchSelection
    var program: [String]
    var record: String?
    var duration: Double?
    var capturing: Bool
    var interface: String
    var quiet: Bool
    /// `watch` or `trace`, for messages.
    var name: String
    /// The framing and pairing given: the live verdicts use them, and the session keeps them for `seam report`.
    var framing: FramingOptions

    /// Watches and returns the exit code: the program's when one was started, else 0.
    func run() throws -> Int32 {
        // Verdicts live: always for a traced program, for a watch when it records (a watch of a busy server
        // without --record should not fill a temporary file).
        let verdicts =
            record != nil || name == "trace"
            ? LiveVerdicts(record: record, name: name, options: try framing.reportOptions) : nil
        let watcher = SocketWatcher(
            selection: selection, program: program, recordPath: verdicts?.path ?? record, duration: duration)
        watcher.live = verdicts?.analysis
        var live: LiveCapture?
        if record != nil && capturing {
            live = startCapture(for: watcher)
        }
        watcher.settingsWords += framing.settings.map { CommentWord($0.0, $0.1) }
        let outcome: SocketWatcher.Outcome
        do {
            outcome = try watcher.run()
        } catch {
            _ = live?.stop()
            _ = verdicts?.finish()
            throw CommandFailure("\(name): \(error)")
        }
        let judged = verdicts?.finish()
        if !quiet {
            var text = summary(outcome, captured: live != nil)
            if let judged, outcome.calls > 0 { text += "seam: \(name): \(judged)\n" }
            FileHandleStderr.write(text)
        }
        return outcome.exitStatus ?? 0
    }

    func summary(_ outcome: SocketWatcher.Outcome, captured: Bool) -> String {
        var text = "seam: \(name): \(counted(outcome.calls, "call")) on \(counted(outcome.connections, "connection")) (eBPF)"
        if captured { text += " and \(counted(outcome.packets, "captured packet"))" }
        if let record { text += ", written to \(record)" }
        let seconds = String(Int(outcome.seconds * 10) / 10) + "." + String(Int(outcome.seconds * 10) % 10)
        switch outcome.ending {
        case .programExited:
            let name = program.first ?? "the program"
            if let status = outcome.programStatus, status.signal != nil {
                text += "; \(name) was ended by \(status) (status \(outcome.exitStatus ?? 0))"
            } else {
                text += "; \(name) exited with \(outcome.exitStatus ?? 0)"
            }
        case .duration: text += "; watched for \(seconds) s"
        case .signal: text += "; stopped by a signal after \(seconds) s"
        case .processesGone: text += "; the watched processes exited"
        }
        text += "\n"
        for line in outcome.summary { text += "  \(line)\n" }
        if let losses = outcome.losses.description {
            text += "seam: \(name): WARNING: not recorded: \(losses); the session says so too\n"
        }
        return text
    }

    /// Starts a capture of the watched flows on `interface` into the watcher's session: exactly their ports
    /// when `--port` was given, else TCP and UDP, judged packet by packet against the watched sockets. `nil`
    /// (with a notice) when capturing is not permitted or fails: the calls are still worth having.
    private func startCapture(for watcher: SocketWatcher) -> LiveCapture? {
        let filter: String
        if selection.ports.isEmpty {
            filter = "tcp or udp"
        } else {
            filter = "(tcp or udp) and (" + selection.ports.map { "port \($0)" }.joined(separator: " or ") + ")"
        }
        let capture: LiveCapture
        do {
            // The watch holds packets for a second before judging them: batches are fine, and every wake-up of
            // the capture would be paid by the watched program's own sends.
            var configuration = CaptureConfiguration()
            configuration.immediateMode = false
            configuration.deliveryLingerMicroseconds = 10_000
            capture = try LiveCapture(interface: interface, filter: filter, configuration: configuration)
        } catch {
            FileHandleStderr.write("seam: \(name): no capture (\(error)); calls only\n")
            watcher.settingsWords = [CommentWord("capture", "off")]
            return nil
        }
        let attachment = TraceCapture(
            linkType: capture.linkType,
            snapLength: capture.snapLength,
            interfaceName: interface,
            stop: { _ = capture.stop() }
        )
        do {
            try capture.start { packet in
                attachment.add(timestamp: packet.timestamp, data: packet.data, originalLength: packet.originalLength)
            }
        } catch {
            FileHandleStderr.write("seam: \(name): no capture (\(error)); calls only\n")
            watcher.settingsWords = [CommentWord("capture", "off")]
            return nil
        }
        watcher.capture = attachment
        watcher.capturedPortsOnly = !selection.ports.isEmpty
        watcher.settingsWords = [CommentWord("capture", interface), CommentWord("filter", filter)]
        return capture
    }
}
