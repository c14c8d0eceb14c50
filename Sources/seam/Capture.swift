import ArgumentParser
import SeamCapture
import SeamCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `seam capture -i IFACE [-f BPF] -w FILE`: a live capture to pcapng (or pcap), like `tcpdump -w`.
struct Capture: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Capture packets from an interface into a pcapng (or pcap) file, like tcpdump -w.",
        discussion: """
            Needs root, or the capability: sudo setcap cap_net_raw,cap_net_admin+eip $(which seam).
            SIGINT (Ctrl-C) or SIGTERM ends the capture and finishes the file cleanly. The number of packets \
            written and dropped is printed on standard error at the end.
            """
    )

    @Option(name: .shortAndLong, help: ArgumentHelp("Interface to capture on (lo, eth0, any).", valueName: "iface"))
    var interface: String

    @Option(name: .shortAndLong, help: ArgumentHelp("BPF filter, as tcpdump takes it.", valueName: "bpf"))
    var filter: String?

    @Option(
        name: [.customShort("w"), .customLong("write")],
        help: ArgumentHelp("File to write (created with mode 0600).", valueName: "file")
    )
    var file: String

    @Option(help: ArgumentHelp("Stop after this many seconds.", valueName: "seconds"))
    var duration: Double?

    @Option(help: ArgumentHelp("Stop after this many packets.", valueName: "n"))
    var count: Int?

    @Flag(help: "Write classic pcap instead of pcapng.")
    var pcap = false

    func validate() throws {
        if let duration, !(duration > 0) || !duration.isFinite {
            throw ValidationError("--duration must be a positive number of seconds, not \(duration)")
        }
        if let count, count <= 0 {
            throw ValidationError("--count must be a positive number of packets, not \(count)")
        }
        if file.isEmpty { throw ValidationError("-w needs a file name") }
    }

    func run() throws {
        // Block SIGINT and SIGTERM before any thread starts (threads inherit the mask): they stay pending until
        // the loop below sees them, so a Ctrl-C ends the capture through the same drain as --count.
        let stopSignals: [Int32] = [SIGINT, SIGTERM]
        var blocked = sigset_t()
        var previous = sigset_t()
        sigemptyset(&blocked)
        for signal in stopSignals { sigaddset(&blocked, signal) }
        pthread_sigmask(SIG_BLOCK, &blocked, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }

        let capture: LiveCapture
        do {
            capture = try LiveCapture(interface: interface, filter: filter)
        } catch {
            throw CommandFailure(error.description)
        }
        for warning in capture.warnings { FileHandleStderr.write("seam: \(warning)\n") }

        var words = [CommentWord("interface", interface)]
        if let filter { words.append(CommentWord("filter", filter)) }
        let comment = (["seam-capture"] + words.map(\.description)).joined(separator: " ")
        let recorder: CaptureFileRecorder
        do {
            recorder = try CaptureFileRecorder(
                capture: capture,
                path: file,
                format: pcap ? .pcap : .pcapng,
                packetLimit: count,
                sectionComment: comment
            )
            try recorder.start()
        } catch {
            throw CommandFailure("capture: \(error)")
        }
        FileHandleStderr.write(
            "seam: capture: listening on \(interface), link-type \(capture.linkType), snapshot length "
                + "\(capture.snapLength) bytes, writing \(file)\n"
        )

        let deadline = duration.map { Timestamp.now().nanoseconds + Int64($0 * 1e9) }
        var interruptedBy: Int32?
        while interruptedBy == nil && capture.isRunning {
            if let deadline, Timestamp.now().nanoseconds >= deadline { break }
            interruptedBy = Capture.takePendingSignal(of: stopSignals)
            if interruptedBy == nil { _ = capture.waitUntilEnded(milliseconds: 50) }
        }

        let summary: CaptureFileRecorder.Summary
        do {
            summary = try recorder.finish()
        } catch let error as CaptureError {
            throw CommandFailure(error.description)
        } catch {
            throw CommandFailure("capture: \(error)")
        }
        let statistics = summary.statistics
        let packets = summary.packetsWritten == 1 ? "1 packet" : "\(summary.packetsWritten) packets"
        FileHandleStderr.write(
            "seam: capture: \(packets) written to \(file); \(statistics.received) received by filter, "
                + "\(statistics.dropped) dropped by kernel, \(statistics.interfaceDropped) dropped by interface"
                + (statistics.totalDropped > 0 ? " (the file is missing packets)" : "") + "\n"
        )
    }

    /// The first of `signals` that is pending (blocked and sent), consumed with sigwait; nil when none is.
    private static func takePendingSignal(of signals: [Int32]) -> Int32? {
        var pending = sigset_t()
        sigpending(&pending)
        for signal in signals where sigismember(&pending, signal) == 1 {
            var only = sigset_t()
            sigemptyset(&only)
            sigaddset(&only, signal)
            var received: Int32 = 0
            sigwait(&only, &received)
            return received
        }
        return nil
    }
}
