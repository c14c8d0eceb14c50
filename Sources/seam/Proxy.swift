import ArgumentParser
import Dispatch
import NIOConcurrencyHelpers
import SeamCapture
import SeamCore
import SeamProxy
import SeamRecording

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

            With --record, the kernel's segments of both legs are captured too (libpcap, on the interface that \
            carries them, filtered to exactly the listening and the upstream endpoint) and written into the same \
            session file, in time order. That needs root or the capability \
            (sudo setcap cap_net_raw,cap_net_admin+eip $(command -v seam)); without it the proxy says so once \
            and records its calls only.
            """
    )

    @Option(help: "Where to listen: HOST:PORT, [V6]:PORT or PORT (loopback). Port 0 picks a free port.")
    var listen = "127.0.0.1:0"

    // Optional for the parser, required by `validate()`: a mistyped option is then named as such, not hidden
    // behind a missing --to.
    @Option(help: "The server to relay to: HOST:PORT or [V6]:PORT (required).")
    var to: String?

    @Flag(help: "Relay UDP datagrams (one upstream socket per client address) instead of TCP.")
    var udp = false

    @Option(parsing: .unconditional, help: "Every emulated read asks for at most N bytes, like recv(N). For UDP: report what recvfrom(N) would cut.")
    var recvSize: Int?

    @Option(parsing: .unconditional, help: "Wait MS milliseconds before each emulated read, like a slow reader.")
    var recvDelay: Int?

    @Option(help: "Whose reads to emulate: server (the proxy's reads from the client), client, or both.")
    var emulate: ProxyConfiguration.EmulatedSide = .server

    @Option(help: "Write the session (calls, and payload unless --no-payload) to this pcapng file (mode 0600).")
    var record: String?

    @Flag(help: "Leave the bytes out of the session file.")
    var noPayload = false

    @Flag(
        help: """
            With --record: when the session writer falls behind, relay at full speed and count the calls and \
            packets not written (default: lossless, the relay pauses its reads until the writer catches up).
            """)
    var lossy = false

    @Flag(
        inversion: .prefixedNo,
        help: "With --record: capture the segments of both legs into the session (default: when permitted).")
    var capture: Bool?

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp("With --record: the interface to capture on (default: the one carrying both legs).",
            valueName: "iface"))
    var interface: String?

    /// Stored in the session, so `seam report` frames by it (see `seam report --help`).
    @OptionGroup var framing: FramingOptions

    @Option(parsing: .unconditional, help: "Exit after N connections (UDP: client mappings) have closed.")
    var connections: Int?

    @Option(parsing: .unconditional, help: "Exit after S seconds.")
    var duration: Double?

    @Option(parsing: .unconditional, help: "Close a TCP connection after S seconds without traffic (default: never).")
    var idleTimeout: Double?

    @Option(parsing: .unconditional, help: "Forget a UDP client mapping after S idle seconds.")
    var udpTimeout: Double = 60

    @Flag(help: "With --udp and --recv-size: really cut datagrams to N bytes.")
    var udpTruncate = false

    @Option(
        help: ArgumentHelp(
            "Change writes on purpose: [c2s=|s2c=]split:N, random:MIN-MAX or coalesce:MS (both directions when "
                + "DIR is left out; repeatable, one rule per direction). Recorded as rechunk= on the sends. "
                + "UDP: split:N sends N-byte datagrams, to test a receiver's handling of short datagrams.",
            valueName: "rule"))
    var rechunk: [String] = []

    @Option(help: "With --rechunk split/random: wait MS milliseconds between the pieces of one write, so the kernel cannot join them again.")
    var rechunkDelay: Int?

    @Option(help: "The seed of --rechunk random:MIN-MAX (the same seed gives the same cuts).")
    var seed: UInt64 = 1

    @Flag(help: "No live output.")
    var quiet = false

    @Flag(help: "Live output as one JSON object per line; the summary goes to stderr.")
    var json = false

    func validate() throws {
        if case .failure(let failure) = EndpointArgument.parse(listen, option: "--listen", allowsBarePort: true) {
            throw ValidationError(failure.description)
        }
        // A missing --to is said in run(): argument-parser names an unknown option only after validate().
        if let to, case .failure(let failure) = EndpointArgument.parse(to, option: "--to", allowsBarePort: false) {
            throw ValidationError(failure.description)
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
        if record == nil && (capture == true || interface != nil) {
            throw ValidationError("--capture and -i need --record: captured segments go into the session file")
        }
        if lossy && record == nil { throw ValidationError("--lossy needs --record: it is about the session file") }
        if capture == false && interface != nil { throw ValidationError("-i has no use with --no-capture") }
        if idleTimeout != nil && udp { throw ValidationError("--idle-timeout is for TCP; UDP uses --udp-timeout") }
        let rules = try rechunkRules()
        for direction in [Direction.clientToServer, .serverToClient] where rules.filter({ $0.applies(to: direction) }).count > 1 {
            throw ValidationError("--rechunk: more than one rule for \(direction == .clientToServer ? "c2s" : "s2c")")
        }
        if udp, rules.contains(where: { if case .coalesce = $0.kind { return true } else { return false } }) {
            throw ValidationError("--rechunk coalesce is for TCP: UDP keeps every datagram apart")
        }
        if let rechunkDelay, rechunkDelay < 0 { throw ValidationError("--rechunk-delay must not be negative") }
        if rechunkDelay != nil && rules.isEmpty { throw ValidationError("--rechunk-delay needs --rechunk") }
    }

    func rechunkRules() throws -> [RechunkRule] {
        do {
            return try rechunk.map { try RechunkRule(parsing: $0) }
        } catch {
            throw ValidationError("\(error)")
        }
    }

    /// `HOST:PORT`, `[V6]:PORT`, `localhost:PORT`, or a bare port on 127.0.0.1.
    static func endpoint(_ text: String) -> Endpoint? {
        try? EndpointArgument.parse(text, option: "--listen", allowsBarePort: true).get()
    }

    /// `--to`, resolved (`validate()` has checked it).
    var upstream: Endpoint {
        (try? EndpointArgument.parse(to ?? "", option: "--to", allowsBarePort: false).get()) ?? Endpoint(address: .v4(0x7f00_0001), port: 0)
    }

    func makeConfiguration() -> ProxyConfiguration {
        var configuration = ProxyConfiguration(listen: Self.endpoint(listen)!, upstream: upstream)
        configuration.udp = udp
        configuration.recvSize = recvSize
        configuration.recvDelayMilliseconds = recvDelay
        configuration.emulate = emulate
        configuration.recordPath = record
        configuration.noPayload = noPayload
        configuration.lossy = lossy
        configuration.connections = connections
        configuration.durationSeconds = duration
        configuration.idleTimeoutSeconds = idleTimeout
        configuration.udpTimeoutSeconds = udpTimeout
        configuration.udpTruncate = udpTruncate
        configuration.quiet = quiet
        configuration.json = json
        configuration.rechunk = (try? rechunkRules()) ?? []
        configuration.rechunkDelayMilliseconds = rechunkDelay
        configuration.rechunkSeed = seed
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

    /// With a session file, glibc keeps freed memory instead of giving the heap's top back to the kernel: the
    /// recorder holds every read buffer for its reorder window and copies each payload for the live analysis, so
    /// 64 KiB blocks come and go at the relay's rate, and with the default trimming each new one faulted its pages
    /// in again (a fifth of the writer thread's time under perf). Bounded: the recorder's own bound caps the heap.
    static func keepFreedMemory() {
        #if canImport(Glibc)
            // mallopt(3) is not in Swift's Glibc module; M_TRIM_THRESHOLD is -1, M_TOP_PAD -2 (<malloc.h>).
            typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
            guard let symbol = dlsym(nil, "mallopt") else { return }
            let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
            _ = mallopt(-1, 512 << 20)
            _ = mallopt(-2, 64 << 20)
        #endif
    }

    func run() throws {
        guard to != nil else { throw ValidationError("seam proxy needs --to HOST:PORT: the server to relay to") }
        Self.raiseDescriptorLimit()
        if record != nil { Self.keepFreedMemory() }
        let configuration = makeConfiguration()
        let log: @Sendable (String) -> Void = { FileHandleStderr.write("seam proxy: \($0)\n") }
        if !configuration.listen.address.isLoopback {
            log(
                "warning: listening on \(configuration.listen), reachable from other hosts"
                    + (record.map { "; \($0) records the payload of everything they send" } ?? ""))
        }
        var sinks: [any SessionCallSink] = []
        if !quiet { sinks.append(LiveCallPrinter(json: json)) }
        let session = record.map { _ in SessionSlot(keepsPayload: !noPayload) }
        if let session { sinks.append(session) }
        // Lossless: a capture that falls behind pauses the relay too (the kernel's ring cannot wait).
        let captureGate = record != nil && !lossy ? BackPressureGate() : nil
        if let captureGate { sinks.append(captureGate) }
        let sniffer = record.map { _ in
            ProxyCapture(requestedInterface: interface, enabled: capture != false, gate: captureGate, log: log)
        }
        let sink: (any SessionCallSink)? = sinks.isEmpty ? nil : (sinks.count == 1 ? sinks[0] : SessionCallFanOut(sinks))
        let listening = NIOLockedValueBox<ProxyServer?>(nil)

        let hooks = ProxyServer.Hooks(
            beforeAccepting: {
                // The listener is bound: its real port goes into the filter and the section comment.
                guard let record = configuration.recordPath, let session, let sniffer else { return }
                let listen = listening.withLockedValue { $0?.listeningEndpoint } ?? configuration.listen
                var settings = SessionSettings()
                for (key, value) in configuration.settingsWords { settings[key] = value }
                settings["listen"] = listen.description
                for (key, value) in self.framing.settings { settings[key] = value }
                let words = try sniffer.open(listen: listen, upstream: configuration.upstream, udp: configuration.udp)
                for word in words { settings[word.key] = word.value }
                let options = (try? self.framing.reportOptions) ?? ReportOptions()
                let json = self.json
                let quiet = self.quiet
                let live = LiveAnalysis(options: options, settings: settings) { verdict in
                    // Verdicts are printed even with --quiet: they are the answer, not the chatter.
                    if quiet {
                        FileHandleStderr.write("seam proxy: \(verdict.line)\n")
                    } else {
                        LiveCallPrinter.writeStandardOutput((json ? verdict.jsonLine : verdict.line) + "\n")
                    }
                }
                session.live = live
                let recorder = try SessionRecorder(
                    path: record, settings: settings, recorder: "seam proxy", dissector: self.framing.wiresharkDissector,
                    mode: configuration.lossy ? .lossy : .lossless, live: live, statesOutcome: true)
                session.recorder = recorder
                try sniffer.start(into: recorder)
            },
            onFinished: {
                guard let sniffer, sniffer.isCapturing else { return }
                try? await Task.sleep(nanoseconds: ProxyCapture.graceNanoseconds)
                _ = sniffer.finish()
            },
            log: log)
        let server = ProxyServer(configuration: configuration, sink: sink, hooks: hooks)
        listening.withLockedValue { $0 = server }

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

        // A fixed listening port: capture before binding, so even a client that connects at once (its handshake
        // completes in the kernel, before any accept) is captured from its SYN.
        if let sniffer, configuration.listen.port != 0 {
            do {
                _ = try sniffer.open(listen: configuration.listen, upstream: configuration.upstream, udp: udp)
            } catch {
                throw CommandFailure("\(error)")
            }
        }

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
        let captured = sniffer?.finish()  // a no-op after onFinished; stops a capture a failed run left going
        var recorded: SessionRecorder.Statistics?
        var recordError: (any Error)?
        if let recorder = session?.recorder {
            do { recorded = try recorder.close() } catch { recordError = error }
        }
        let live = session?.live?.finish()
        switch outcome.withLockedValue({ $0 })! {
        case .failure(let error as CaptureError):
            throw CommandFailure(error.description)
        case .failure(let error):
            throw CommandFailure("\(error)")
        case .success(let summary):
            var paragraph = summary.paragraph
            if let recorded, let record, let recorder = session?.recorder {
                paragraph += " " + Self.sessionSentence(record, mode: recorder.mode, recorded)
            }
            if let live {
                paragraph += live.verdicts == 0
                    ? " No framing bug seen in \(counted(live.flows, "flow"))."
                    : " \(counted(live.verdicts, "framing bug")) (see above; `seam report` explains)."
                if live.fellBehind { paragraph += " The live analysis fell behind and stopped; `seam report` has it all." }
            }
            var capture = ProxyCapture.sentence(captured, offReason: sniffer?.offReason)
            if let pauses = captureGate?.pauses, pauses > 0, capture != nil {
                capture!.text += " The relay paused \(counted(pauses, "time")) for the capture to catch up."
            }
            if let capture { paragraph += " " + capture.text }
            if json {
                FileHandleStderr.write(paragraph + "\n")
            } else {
                LiveCallPrinter.writeStandardOutput(paragraph + "\n")
            }
            if let capture, capture.loud { log(capture.text) }
            if let recorded, let record, recorded.dropped > 0 {
                log(
                    "WARNING: \(recorded.dropped) calls or packets were not written to \(record) (--lossy, and the "
                        + "writer did not keep up): the session is incomplete")
            }
            if let recordError { throw CommandFailure("\(recordError)") }
        }
    }
}

extension Proxy {
    /// The summary's sentence about the session file: the mode, what was written, and what was not (lossy) or
    /// how long the relay waited for the writer (lossless), e.g. `Session file s.pcapng (lossless): 10 calls, 0
    /// unwritten; the relay paused 2 times (0.3 s in all) for the writer.`
    static func sessionSentence(_ path: String, mode: SessionRecorder.Mode, _ recorded: SessionRecorder.Statistics)
        -> String
    {
        var text = "Session file \(path) (\(mode.rawValue)): \(counted(recorded.callsWritten, "call"))"
        if recorded.packetsWritten > 0 { text += ", \(counted(recorded.packetsWritten, "captured packet"))" }
        text += ", \(recorded.dropped) unwritten"
        if recorded.dropped > 0 { text += " (dropped because the writer did not keep up)" }
        if recorded.pauses > 0 {
            let seconds = (Double(recorded.pausedNanoseconds) / 1e8).rounded() / 10
            text += "; the relay paused \(counted(recorded.pauses, "time")) (\(seconds) s in all) for the writer"
        }
        return text + "."
    }
}

extension ProxyConfiguration.EmulatedSide: ExpressibleByArgument {}
