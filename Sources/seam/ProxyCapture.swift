import SeamCapture
import SeamCore
import SeamProxy
import SeamRecording

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The sniffer of `seam proxy --record`: a libpcap capture of both legs, written into the session file beside
/// the proxy's calls.
///
/// Life, driven by the proxy's hooks:
/// 1. `open(listen:upstream:udp:)` before the listener is bound, or for port 0 in `beforeAccepting` once it is
///    (the real port goes into the filter): chooses the interface, opens and activates the capture (from then on
///    the kernel buffers packets) and returns the words for the session's section comment, `capture=lo filter=…`
///    or `capture=off reason=…` (the filter's spaces are `%20`, as `CommentWord` escapes them). Without the
///    privilege it prints one notice on stderr and the run goes on with calls only.
/// 2. `start(into:)`, still before the first accept: adds the capture's interface to the session and starts
///    handing packets to the recorder.
/// 3. `finish()` in `onFinished`, after the last connection closed and `graceNanoseconds` more (so the last
///    FIN/RST and its ACK are captured): stops (libpcap drains what was stamped before) and notes `pcap_stats`
///    for an interface statistics block.
///
/// Thread safety: the three steps run one after the other on the proxy's start and finish paths; `finish` may
/// also be called again from the command after a failure (it is idempotent).
final class ProxyCapture: @unchecked Sendable {
    /// Why a session has no segments, as the `reason` word of `capture=off`.
    enum OffReason: String {
        /// `--no-capture`.
        case disabled
        /// No root and no CAP_NET_RAW (or `SEAM_NO_CAPTURE_PRIVILEGE=1`).
        case noPrivilege = "no-privilege"
        /// The default interface could not be opened for another reason (the notice says which).
        case unavailable
    }

    /// What the capture did, for the summary.
    struct Outcome {
        var interface: String
        var filter: String
        var statistics: CaptureStatistics
        var failure: CaptureError?
    }

    /// `-i`, when given; else the interface that carries both legs is chosen.
    let requestedInterface: String?
    /// `false` with `--no-capture`.
    let enabled: Bool
    /// One-line notices for stderr.
    private let log: @Sendable (String) -> Void

    private var capture: LiveCapture?
    private var recorder: SessionRecorder?
    private var interfaceIndex: Int?
    private var outcome: Outcome?
    private var openedWords: [CommentWord]?
    private(set) var offReason: OffReason?

    /// Closed while the capture is behind (lossless recording), so the relay pauses before the ring overflows.
    let gate: BackPressureGate?

    init(
        requestedInterface: String?, enabled: Bool, gate: BackPressureGate? = nil,
        log: @escaping @Sendable (String) -> Void
    ) {
        self.requestedInterface = requestedInterface
        self.enabled = enabled
        self.gate = gate
        self.log = log
    }

    /// Opens the capture for a proxy listening on `listen` and relaying to `upstream`.
    /// - Returns: the section comment's words about the capture.
    /// - Throws: `CaptureError` when `-i` named an interface that cannot be captured on for a reason other than
    ///   the privilege (no such interface, down); with the chosen interface that only gives a notice.
    ///
    /// Idempotent: a second call returns the first one's words. `seam proxy` calls it before binding when the
    /// listening port is fixed (the kernel completes a client's handshake as soon as the socket listens, before
    /// any accept), and after binding for port 0 (no client knows the port before it is announced, which is
    /// after this call).
    func open(listen: Endpoint, upstream: Endpoint, udp: Bool) throws -> [CommentWord] {
        if let openedWords { return openedWords }
        let words = try openCapture(listen: listen, upstream: upstream, udp: udp)
        openedWords = words
        return words
    }

    private func openCapture(listen: Endpoint, upstream: Endpoint, udp: Bool) throws -> [CommentWord] {
        guard enabled else {
            offReason = .disabled
            return [CommentWord("capture", "off"), CommentWord("reason", OffReason.disabled.rawValue)]
        }
        let interface = requestedInterface ?? LiveCapture.interface(for: [listen, upstream])
        let filter = LiveCapture.proxyFilter(listen: listen, upstream: upstream, udp: udp)
        do {
            var configuration = Self.configuration
            if let gate {
                // Behind by 40 ms (the ring holds about 100 ms of both legs at 10 Gbit/s): pause the relay until
                // the capture is within 10 ms of the kernel again.
                configuration.onLag = { lag in
                    if lag > 40_000_000 { gate.close() } else if lag < 10_000_000 { gate.open() }
                }
            }
            let capture = try LiveCapture(interface: interface, filter: filter, configuration: configuration)
            for warning in capture.warnings { log("capture: \(warning)") }
            self.capture = capture
            return [CommentWord("capture", interface), CommentWord("filter", filter)]
        } catch {
            if !error.isPermissionDenied && requestedInterface != nil { throw error }
            let reason: OffReason = error.isPermissionDenied ? .noPrivilege : .unavailable
            offReason = reason
            log(error.withoutCaptureNotice)
            return [CommentWord("capture", "off"), CommentWord("reason", reason.rawValue)]
        }
    }

    /// How the proxy's capture opens its interface: both legs of a relay running at several Gbit/s must fit.
    /// Not immediate mode, so libpcap uses TPACKET_V3 on Linux, whose blocks pack packets by their real length
    /// (TPACKET_V2, which immediate mode picks, gives every packet a slot of the snap length: a 32 MiB ring held
    /// only ~128 loopback packets). Blocks are handed over when full or after `pollTimeoutMilliseconds` (10 ms),
    /// well inside the session writer's reorder window. A 256 MiB ring is about a second of both legs at 1 Gbit/s.
    static var configuration: CaptureConfiguration {
        var configuration = CaptureConfiguration()
        configuration.immediateMode = false
        configuration.bufferSize = 256 << 20
        configuration.pollTimeoutMilliseconds = 10
        configuration.deliveryLingerMicroseconds = 0
        return configuration
    }

    /// Adds the capture's interface to the session and starts delivering packets into it. No-op when `open`
    /// left the capture off.
    func start(into recorder: SessionRecorder) throws {
        guard let capture else { return }
        let index = try recorder.addCaptureInterface(
            linkType: capture.linkType, snapLength: capture.snapLength, name: capture.interface)
        self.recorder = recorder
        interfaceIndex = index
        try capture.start { packet in
            // The packet's own array, no copy; in lossless mode this waits while the writer is far behind, and
            // the kernel's ring holds what arrives meanwhile.
            recorder.record(
                packet: packet.data, timestamp: packet.timestamp, originalLength: packet.originalLength,
                interface: index)
        }
    }

    /// How long the capture goes on after the last connection closed, so its last FIN/RST and ACKs are in.
    static let graceNanoseconds: UInt64 = 200_000_000

    /// Whether packets are being captured (between `start` and `finish`).
    var isCapturing: Bool { outcome == nil && capture?.isRunning == true }

    /// Stops the capture (libpcap drains what was stamped before; call it after the grace time) and notes its
    /// statistics in the session. Returns what happened, or `nil` when nothing was captured. Idempotent.
    func finish() -> Outcome? {
        if let outcome { return outcome }
        // Opened but never started (the run failed in between): nothing to stop, the handle closes with `capture`.
        guard let capture, let interfaceIndex, let recorder else { return nil }
        let statistics = capture.stop()
        gate?.open()  // nothing behind any more; a relay still draining must not wait for a stopped capture
        let drops = statistics.totalDropped
        recorder.noteInterfaceStatistics(
            interface: interfaceIndex, received: statistics.received, dropped: drops,
            comment: drops > 0 ? "seam: the capture dropped \(drops) packets: segments are missing" : nil)
        let result = Outcome(
            interface: capture.interface, filter: capture.filter ?? "", statistics: statistics,
            failure: capture.failure)
        outcome = result
        return result
    }

    /// The summary's sentence about the capture, and whether it must be shouted (drops, a failure).
    static func sentence(_ outcome: Outcome?, offReason: OffReason?) -> (text: String, loud: Bool)? {
        if let outcome {
            let statistics = outcome.statistics
            var text = "Capture on \(outcome.interface): \(counted(statistics.delivered, "packet")) captured; \(statistics)"
            var loud = false
            if statistics.totalDropped > 0 {
                text += ". WARNING: the kernel dropped \(statistics.totalDropped) packets, the session is missing "
                    + "segments"
                if let began = statistics.dropsBegan {
                    let seconds = (began.afterSeconds * 10).rounded() / 10
                    let megabits = Int(began.bitsPerSecond / 1e6)
                    text += " (drops began \(seconds) s into the capture, when it took in \(megabits) Mbit/s of both legs)"
                }
                loud = true
            }
            if let failure = outcome.failure {
                text += ". WARNING: the capture ended early: \(failure)"
                loud = true
            }
            return (text + ".", loud)
        }
        switch offReason {
        case .noPrivilege?: return ("No capture (no privilege): the session has the proxy's calls only.", false)
        case .unavailable?: return ("No capture: the session has the proxy's calls only.", false)
        case .disabled?, nil: return nil
        }
    }
}
