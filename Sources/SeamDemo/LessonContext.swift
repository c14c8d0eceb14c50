import Dispatch
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SeamCapture
import SeamCore
import SeamProxy

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a lesson variant's peers use while they play: the session their sockets record into, the proxies in front
/// of their servers (with the sniffer on each), threads for the server side, and a narration.
///
/// Not for concurrent `startProxy` calls; `say` and `spawn` are thread-safe.
public final class LessonContext: @unchecked Sendable {
    public let session: DemoSession
    let variant: LessonVariant
    let captureWanted: Bool
    let narrate: @Sendable (String) -> Void
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private var proxies: [(server: ProxyServer, run: Task<ProxySummary?, Never>)] = []
    private var captures: [LiveCapture] = []
    private let lock = NIOLock()
    private var threads: [DispatchSemaphore] = []
    private var failures: [String] = []
    /// Why the segment layer is missing, when it is.
    private(set) var captureProblem: String?

    init(variant: LessonVariant, session: DemoSession, capture: Bool, narrate: @escaping @Sendable (String) -> Void) {
        self.variant = variant
        self.session = session
        self.captureWanted = capture
        self.narrate = narrate
    }

    /// One line of narration (`server: recv(10) → 'hellofeng'`).
    public func say(_ line: String) { narrate(line) }

    /// Runs `body` on a thread of its own (a server); errors are kept and reported when the lesson ends.
    public func spawn(_ name: String, _ body: @escaping @Sendable () throws -> Void) {
        let done = DispatchSemaphore(value: 0)
        lock.withLock { threads.append(done) }
        DispatchQueue.global().async { [self] in
            do { try body() } catch { lock.withLock { failures.append("\(name): \(error)") } }
            done.signal()
        }
    }

    /// Waits for the threads spawned so far (at most `timeout` seconds each); false when one did not end.
    @discardableResult
    public func finishSpawned(timeout: Double = 3) -> Bool {
        let waiting = lock.withLock { () -> [DispatchSemaphore] in
            defer { threads.removeAll() }
            return threads
        }
        var allEnded = true
        for done in waiting where done.wait(timeout: .now() + timeout) == .timedOut {
            allEnded = false
            lock.withLock { failures.append("a peer did not finish within \(Int(timeout)) s") }
        }
        return allEnded
    }

    /// A TCP listener for the server, the variant's `index`-th proxy in front of it, and `body` on a thread of its
    /// own with the one connection it accepts (3 s receive timeout), closed when `body` returns.
    /// - Parameter clientResets: the client closes with data unread, so its kernel resets the connection: a
    ///   call of the server that fails with ECONNRESET or EPIPE then ends `body`, and is no failure of the lesson.
    /// - Returns: where the client connects (the proxy).
    public func serveOneClient(
        proxy index: Int = 0,
        clientResets: Bool = false,
        _ body: @escaping @Sendable (DemoSocket) throws -> Void
    ) throws -> Endpoint {
        let listener = try DemoSocket.listener(session: session)
        let proxy = try startProxy(to: listener.localEndpoint, index: index)
        spawn("server") { [self] in
            let connection = try listener.accept()
            connection.setReceiveTimeout(3)
            defer { connection.close() }
            do {
                try body(connection)
            } catch let error as DemoError where clientResets && error.connectionGone {
                say("server: the client reset the connection")
            }
        }
        return proxy
    }

    /// Starts the variant's `index`-th proxy in front of `server`, and the sniffer on its two legs.
    /// - Returns: where the client connects (the proxy's listening endpoint).
    public func startProxy(to server: Endpoint, index: Int = 0) throws -> Endpoint {
        let setup = variant.proxies[index]
        var configuration = ProxyConfiguration(listen: Endpoint(address: .v4(0x7f00_0001), port: 0), upstream: server)
        configuration.udp = setup.udp
        configuration.recvSize = setup.recvSize
        configuration.recvDelayMilliseconds = setup.recvDelayMilliseconds
        configuration.emulate = setup.emulate
        configuration.udpTruncate = setup.udpTruncate
        configuration.quiet = true
        configuration.drainSeconds = 0.5
        configuration.udpTimeoutSeconds = 5
        for (key, value) in configuration.settingsWords where key != "tool" && key != "listen" {
            session.settings["proxy\(index + 1)-\(key)"] = value
        }
        let proxy = ProxyServer(configuration: configuration, sink: session, group: group)
        let bound = try blocking { try await proxy.start() }
        guard let listen = Endpoint(socketAddress: bound) else { throw DemoError("the proxy bound \(bound)") }
        session.settings["proxy\(index + 1)-listen"] = listen.description
        let run = Task(executorPreference: DemoExecutor.shared) { try? await proxy.run() }
        proxies.append((proxy, run))
        if captureWanted { startCapture(listen: listen, upstream: server, udp: setup.udp) }
        return listen
    }

    private func startCapture(listen: Endpoint, upstream: Endpoint, udp: Bool) {
        if let problem = LiveCapture.captureProblem(interface: "lo") {
            captureProblem = "\(problem)"
            return
        }
        do {
            let capture = try LiveCapture(
                interface: "lo",
                filter: LiveCapture.proxyFilter(listen: listen, upstream: upstream, udp: udp)
            )
            session.addCapture(linkType: capture.linkType)
            let linkType = capture.linkType
            try capture.start { [session] packet in
                session.record(packet: packet.record(linkType: linkType, interfaceIndex: 1))
            }
            captures.append(capture)
        } catch {
            captureProblem = "\(error)"
        }
    }

    /// Waits for the spawned threads, stops the proxies and the sniffer. Returns the peers' errors.
    func finish(timeout: Double = 4) -> [String] {
        finishSpawned(timeout: timeout)
        for (proxy, run) in proxies {
            proxy.shutdown(reason: "lesson over")
            _ = try? blocking { await run.value }
        }
        usleep(20_000)
        for capture in captures { capture.stop() }
        try? group.syncShutdownGracefully()
        return lock.withLock { failures }
    }

    /// Runs async work from this plain thread and waits for it.
    private func blocking<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
        let result = NIOLockedValueBox<Result<T, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task(executorPreference: DemoExecutor.shared) {
            let outcome: Result<T, any Error>
            do { outcome = .success(try await work()) } catch { outcome = .failure(error) }
            result.withLockedValue { $0 = outcome }
            done.signal()
        }
        done.wait()
        return try result.withLockedValue { $0! }.get()
    }
}
