import ArgumentParser
import Dispatch
import NIOConcurrencyHelpers
import SeamCore
import SeamProxy

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `seam proxy`: relay a client to a server and show (and record) every read and write the proxy makes.
struct Proxy: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Relay TCP or UDP between a client and a server, showing and recording every read and write.",
        discussion: """
            Every chunk the proxy reads on one side is written as one write on the other, so the live lines \
            show exactly how each side's reads cut the byte stream. SIGINT or SIGTERM stop accepting, let \
            open connections finish for 2 s, close the session file and print a summary.
            """
    )

    @Option(help: "Where to listen: HOST:PORT, [V6]:PORT or PORT (loopback). Port 0 picks a free port.")
    var listen = "127.0.0.1:0"

    @Option(help: "The server to relay to: HOST:PORT or [V6]:PORT.")
    var to: String

    @Flag(help: "Relay UDP datagrams (one upstream socket per client address) instead of TCP.")
    var udp = false

    @Option(help: "Every emulated read asks for at most N bytes, like recv(N). For UDP: report what recvfrom(N) would cut.")
    var recvSize: Int?

    @Option(help: "Wait MS milliseconds before each emulated read, like a slow reader.")
    var recvDelay: Int?

    @Option(help: "Whose reads to emulate: server (the proxy's reads from the client), client, or both.")
    var emulate: ProxyConfiguration.EmulatedSide = .server

    @Option(help: "Write the session (calls, and payload unless --no-payload) to this pcapng file (mode 0600).")
    var record: String?

    @Flag(help: "Leave the bytes out of the session file.")
    var noPayload = false

    @Option(help: "Exit after N connections (UDP: client mappings) have closed.")
    var connections: Int?

    @Option(help: "Exit after S seconds.")
    var duration: Double?

    @Option(help: "Close a TCP connection after S seconds without traffic (default: never).")
    var idleTimeout: Double?

    @Option(help: "Forget a UDP client mapping after S idle seconds.")
    var udpTimeout: Double = 60

    @Flag(help: "With --udp and --recv-size: really cut datagrams to N bytes.")
    var udpTruncate = false

    @Flag(help: "No live output.")
    var quiet = false

    @Flag(help: "Live output as one JSON object per line; the summary goes to stderr.")
    var json = false

    func validate() throws {
        guard Self.endpoint(listen) != nil else {
            throw ValidationError("--listen '\(listen)' is not HOST:PORT, [V6]:PORT or PORT")
        }
        guard Self.endpoint(to) != nil, !to.allSatisfy(\.isNumber) else {
            throw ValidationError("--to '\(to)' is not HOST:PORT or [V6]:PORT")
        }
        if let recvSize, recvSize < 1 { throw ValidationError("--recv-size must be at least 1, not \(recvSize)") }
        if let recvDelay, recvDelay < 0 { throw ValidationError("--recv-delay must not be negative") }
        if let connections, connections < 1 { throw ValidationError("--connections must be at least 1") }
        if let duration, !(duration > 0) { throw ValidationError("--duration must be more than 0 seconds") }
        if let idleTimeout, !(idleTimeout > 0) { throw ValidationError("--idle-timeout must be more than 0 seconds") }
        if !(udpTimeout > 0) { throw ValidationError("--udp-timeout must be more than 0 seconds") }
        if udpTruncate && (!udp || recvSize == nil) {
            throw ValidationError("--udp-truncate needs --udp and --recv-size")
        }
        if idleTimeout != nil && udp { throw ValidationError("--idle-timeout is for TCP; UDP uses --udp-timeout") }
    }

    /// `HOST:PORT`, `[V6]:PORT`, `localhost:PORT`, or a bare port on 127.0.0.1.
    static func endpoint(_ text: String) -> Endpoint? {
        if let port = UInt16(text) { return Endpoint(address: .v4(0x7f00_0001), port: port) }
        if text.hasPrefix("localhost:"), let port = UInt16(text.dropFirst("localhost:".count)) {
            return Endpoint(address: .v4(0x7f00_0001), port: port)
        }
        return Endpoint(text)
    }

    func makeConfiguration() -> ProxyConfiguration {
        var configuration = ProxyConfiguration(listen: Self.endpoint(listen)!, upstream: Self.endpoint(to)!)
        configuration.udp = udp
        configuration.recvSize = recvSize
        configuration.recvDelayMilliseconds = recvDelay
        configuration.emulate = emulate
        configuration.recordPath = record
        configuration.noPayload = noPayload
        configuration.connections = connections
        configuration.durationSeconds = duration
        configuration.idleTimeoutSeconds = idleTimeout
        configuration.udpTimeoutSeconds = udpTimeout
        configuration.udpTruncate = udpTruncate
        configuration.quiet = quiet
        configuration.json = json
        return configuration
    }

    /// Raises the open-file limit to 65 536 when permitted, else the soft limit to the hard one (each relayed TCP
    /// connection holds two descriptors), and
    /// warns on stderr when the limit still allows fewer than 2 000 connections.
    static func raiseDescriptorLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        let wanted: rlim_t = 65_536
        if limit.rlim_max < wanted {
            // Allowed only with CAP_SYS_RESOURCE (root); otherwise the hard limit stays as it is.
            var raised = limit
            raised.rlim_cur = wanted
            raised.rlim_max = wanted
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        if limit.rlim_cur < 4096 {
            FileHandleStderr.write(
                "seam proxy: the open-file limit is \(limit.rlim_cur) (hard limit \(limit.rlim_max)), so at most about "
                    + "\(limit.rlim_cur / 2) connections can be relayed at once; raise it with `ulimit -n`\n")
        }
    }

    func run() throws {
        Self.raiseDescriptorLimit()
        let configuration = makeConfiguration()
        var sinks: [any ProxyCallSink] = []
        if !quiet { sinks.append(LiveCallPrinter(json: json)) }
        var recorder: SessionRecorder?
        if let record {
            var settings = SessionSettings()
            for (key, value) in configuration.settingsWords { settings[key] = value }
            do {
                recorder = try SessionRecorder(path: record, settings: settings, keepsPayload: !noPayload)
            } catch {
                throw CommandFailure("\(error)")
            }
            sinks.append(recorder!)
        }
        let sink: (any ProxyCallSink)? = sinks.isEmpty ? nil : (sinks.count == 1 ? sinks[0] : ProxyCallFanOut(sinks))
        let server = ProxyServer(
            configuration: configuration, sink: sink,
            hooks: .init(log: { FileHandleStderr.write("seam proxy: \($0)\n") }))

        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let signalQueue = DispatchQueue(label: "seam.proxy.signals")
        let sources = [SIGINT, SIGTERM].map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: signalQueue)
            source.setEventHandler { server.shutdown(reason: "signal") }
            source.resume()
            return source
        }
        defer { sources.forEach { $0.cancel() } }

        let outcome = NIOLockedValueBox<Result<ProxySummary, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            let result: Result<ProxySummary, any Error>
            do {
                let bound = try await server.start()
                let shown = Endpoint(socketAddress: bound).map { "\($0)" } ?? "\(bound)"
                FileHandleStderr.write(
                    "seam proxy: listening on \(shown) (\(configuration.udp ? "udp" : "tcp")), "
                        + "relaying to \(configuration.upstream)\n")
                result = .success(try await server.run())
            } catch {
                server.shutdown(reason: "error")
                result = .failure(error)
            }
            outcome.withLockedValue { $0 = result }
            done.signal()
        }
        done.wait()
        var recorded: SessionRecorder.Statistics?
        var recordError: (any Error)?
        if let recorder {
            do { recorded = try recorder.close() } catch { recordError = error }
        }
        switch outcome.withLockedValue({ $0 })! {
        case .failure(let error):
            throw CommandFailure("\(error)")
        case .success(let summary):
            var paragraph = summary.paragraph
            if let recorded, let record {
                paragraph += " Session file \(record): \(recorded.callsWritten) calls"
                if recorded.packetsWritten > 0 { paragraph += ", \(recorded.packetsWritten) captured packets" }
                if recorded.dropped > 0 { paragraph += ", \(recorded.dropped) dropped because the disk did not keep up" }
                paragraph += "."
            }
            if json {
                FileHandleStderr.write(paragraph + "\n")
            } else {
                LiveCallPrinter.writeStandardOutput(paragraph + "\n")
            }
            if let recordError { throw CommandFailure("\(recordError)") }
        }
    }
}

extension ProxyConfiguration.EmulatedSide: ExpressibleByArgument {}
