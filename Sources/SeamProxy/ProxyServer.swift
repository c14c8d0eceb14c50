#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Atomics
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SeamCore
import SeamRecording

/// The proxy: listens, relays every accepted client (TCP) or client address (UDP) to the upstream, and
/// hands every socket call to a `SessionCallSink`.
///
/// Life: `start()` binds the listener and returns its address; `hooks.beforeAccepting` runs before the
/// first client is accepted (connections wait in the kernel's backlog meanwhile), so a capture can start
/// first. `run()` returns when the run is over (`connections` closed, `duration` elapsed or `shutdown()`):
/// it stops accepting, lets open connections finish for `drainSeconds`, closes the rest, awaits
/// `hooks.onFinished`, and returns the summary.
public final class ProxyServer: Sendable {
    /// Points where the command (and the capture) plug in.
    public struct Hooks: Sendable {
        /// Runs after the listener is bound and before the first accept.
        public var beforeAccepting: (@Sendable () async throws -> Void)?
        /// Runs after every connection is closed, before `run()` returns.
        public var onFinished: (@Sendable () async -> Void)?
        /// One-line notices for stderr (a failed upstream connect); never called per chunk.
        public var log: @Sendable (String) -> Void

        public init(
            beforeAccepting: (@Sendable () async throws -> Void)? = nil, onFinished: (@Sendable () async -> Void)? = nil,
            log: @escaping @Sendable (String) -> Void = { _ in }
        ) {
            self.beforeAccepting = beforeAccepting
            self.onFinished = onFinished
            self.log = log
        }
    }

    public let configuration: ProxyConfiguration
    public let statistics = ProxyStatistics()
    let sink: (any SessionCallSink)?
    let hooks: Hooks
    let group: any EventLoopGroup
    private let ownsGroup: Bool
    let connectionNumbers = ManagedAtomic<Int>(0)
    private let state = NIOLockedValueBox(State())
    private let finish: EventLoopPromise<String>
    private let finishRequested = ManagedAtomic<Bool>(false)

    struct State {
        var listener: Channel?
        var udp: UDPRelay?
        var open: [ObjectIdentifier: Channel] = [:]
        var started: Timestamp?
        var finishing = false
        var lastConnectError: String?
    }

    /// - Parameters:
    ///   - sink: where calls go (live output, session recorder); `nil` records nothing (the fast path).
    ///   - group: the event loops to use; by default the proxy makes its own with one loop per core.
    public init(
        configuration: ProxyConfiguration, sink: (any SessionCallSink)?, group: (any EventLoopGroup)? = nil,
        hooks: Hooks = Hooks()
    ) {
        self.configuration = configuration
        self.sink = sink
        self.hooks = hooks
        self.group = group ?? MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        self.ownsGroup = group == nil
        self.finish = self.group.next().makePromise(of: String.self)
    }

    deinit {
        requestFinish("released")  // a server that never ran must not leak its promise
    }

    /// Completes the run's promise once (later requests are no-ops, so no task lands on a stopped loop).
    private func requestFinish(_ reason: String) {
        if !finishRequested.exchange(true, ordering: .acquiringAndReleasing) {
            finish.succeed(reason)
        }
    }

    /// Binds the listener (SO_REUSEADDR), runs `beforeAccepting`, then starts accepting.
    /// - Returns: the bound address (the real port when the configuration asked for port 0).
    public func start() async throws -> SocketAddress {
        let address = try configuration.listen.socketAddress()
        let bound: SocketAddress
        do {
            if configuration.udp {
                let relay = UDPRelay(server: self)
                let channel = try await relay.bind(to: address)
                state.withLockedValue { $0.udp = relay; $0.listener = channel }
                bound = channel.localAddress ?? address
            } else {
                let channel = try await bindTCP(to: address)
                state.withLockedValue { $0.listener = channel }
                bound = channel.localAddress ?? address
            }
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw ProxyError.addressInUse(configuration.listen.description)
        } catch let error as IOError {
            throw ProxyError.cannotListen(configuration.listen.description, reason: Self.reason(error))
        }
        state.withLockedValue { $0.started = .now() }
        do {
            try await hooks.beforeAccepting?()
        } catch {
            let listener = state.withLockedValue { $0.listener }
            try? await listener?.close()
            throw error
        }
        if let duration = configuration.durationSeconds {
            group.next().scheduleTask(in: .nanoseconds(Int64(duration * 1e9))) { [weak self] in
                self?.requestFinish("duration")
            }
        }
        if let listener = state.withLockedValue({ $0.listener }) {
            if configuration.udp {
                listener.read()  // UDP sockets pace their own reads (UDPDatagramHandler)
            } else {
                try await listener.setOption(.autoRead, value: true).get()
            }
        }
        return bound
    }

    /// The endpoint the listener is bound to (the real port when the configuration asked for port 0);
    /// `nil` before `start()` has bound it. Set before `hooks.beforeAccepting` runs, so the hook can use it.
    public var listeningEndpoint: Endpoint? {
        state.withLockedValue { $0.listener?.localAddress }.flatMap(Endpoint.init(socketAddress:))
    }

    /// Waits until the run is over, drains and closes, and returns what happened.
    public func run() async throws -> ProxySummary {
        guard let listener = state.withLockedValue({ $0.listener }) else { throw ProxyError.notStarted }
        let reason = try await finish.futureResult.get()
        state.withLockedValue { $0.finishing = true }
        try? await listener.close()
        let udp = state.withLockedValue { $0.udp }
        if let udp { await udp.closeAll() }
        let deadline = NIODeadline.now() + .nanoseconds(Int64(configuration.drainSeconds * 1e9))
        while statistics.openConnections > 0 && NIODeadline.now() < deadline {
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        let remaining = state.withLockedValue { Array($0.open.values) }
        for channel in remaining { try? await channel.close() }
        while statistics.openConnections > 0 && NIODeadline.now() < deadline + .seconds(1) {
            try? await Task.sleep(nanoseconds: 10_000_000)
        }
        await hooks.onFinished?()
        if ownsGroup { try? await group.shutdownGracefully() }
        let started = state.withLockedValue { $0.started } ?? .now()
        let summary = ProxySummary(
            transport: configuration.udp ? .udp : .tcp, listen: (listener.localAddress.flatMap(Endpoint.init(socketAddress:))
                ?? configuration.listen).description,
            upstream: configuration.upstream.description, seconds: Timestamp.now().seconds(since: started),
            accepted: statistics.acceptedConnections, closed: statistics.closedConnections,
            failedConnects: statistics.failedConnections, bytesClientToServer: statistics.bytesClientToServer,
            bytesServerToClient: statistics.bytesServerToClient, peakBufferedBytes: statistics.peakBufferedBytes,
            datagrams: statistics.datagramsRelayed, truncatedDatagrams: statistics.datagramsTruncated,
            forcedClosed: remaining.count, reason: reason)
        if summary.accepted > 0, summary.failedConnects == summary.accepted {
            let why = state.withLockedValue { $0.lastConnectError } ?? "connect failed"
            throw ProxyError.upstreamUnreachable(configuration.upstream.description, attempts: summary.accepted, reason: why)
        }
        return summary
    }

    /// Ends the run: stop accepting, let open connections finish for `drainSeconds`. Safe from any thread
    /// (a signal handler's queue, a test).
    public func shutdown(reason: String = "shutdown") {
        requestFinish(reason)
    }

    // MARK: - Shared with the TCP and UDP relays

    func nextConnectionNumber() -> Int { connectionNumbers.wrappingIncrementThenLoad(ordering: .relaxed) }

    func track(_ channel: Channel) {
        state.withLockedValue { $0.open[ObjectIdentifier(channel)] = channel }
    }

    func untrack(_ channel: Channel) {
        state.withLockedValue { $0.open[ObjectIdentifier(channel)] = nil }
    }

    /// Counts a connection as closed and ends the run when `connections` have.
    func connectionEnded() {
        statistics.connectionClosed()
        if let limit = configuration.connections, statistics.closedConnections >= limit {
            requestFinish("connections")
        }
    }

    func connectFailed(connection: Int, error: Error) {
        let reason = Self.reason(error)
        state.withLockedValue { $0.lastConnectError = reason }
        statistics.connectFailed()
        hooks.log("connection #\(connection): connect to \(configuration.upstream) failed: \(reason)")
    }

    /// An error's text without NIO's wrapping (`connection refused`).
    static func reason(_ error: Error) -> String {
        if let io = error as? IOError { return String(cString: strerror(io.errnoCode)).lowercased() }
        if let connect = error as? NIOConnectionError, let first = connect.connectionErrors.first {
            return reason(first.error)
        }
        return "\(error)"
    }
}
