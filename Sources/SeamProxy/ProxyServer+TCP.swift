import NIOCore
import NIOPosix
import SeamCore
import SeamRecording

extension ProxyServer {
    /// The receive allocator and reads per wakeup for a leg: `--recv-size` legs read exactly that much,
    /// emulated legs make one read per `read()` so `--recv-delay` delays every read. Other legs read up to
    /// 64 KiB, 4 reads per wakeup: with the 64 KiB high write watermark, one leg never holds more than
    /// 64 KiB + 4 × 64 KiB queued for its partner.
    func readSettings(on leg: Leg) -> (allocator: any RecvByteBufferAllocator, readsPerWakeup: UInt) {
        let emulated = configuration.recvSize(on: leg) != nil || configuration.recvDelay(on: leg) != nil
        let allocator: any RecvByteBufferAllocator =
            configuration.recvSize(on: leg).map { ExactReadSizeAllocator(size: $0) }
            ?? AdaptiveRecvByteBufferAllocator(minimum: 1024, initial: 16384, maximum: 65_536)
        return (allocator, emulated ? 1 : 4)
    }

    /// Whether calls carry their bytes: for the live preview or the session file's payload.
    var keepsPayload: Bool { !(configuration.quiet && configuration.noPayload) }

    func bindTCP(to address: SocketAddress) async throws -> Channel {
        let downstream = readSettings(on: .downstream)
        return try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.autoRead, value: false)
            .childChannelOption(.autoRead, value: false)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelOption(.recvAllocator, value: downstream.allocator)
            .childChannelOption(.maxMessagesPerRead, value: downstream.readsPerWakeup)
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture { try self.accepted(channel) }
            }
            .bind(to: address)
            .get()
    }

    /// Sets up a freshly accepted client's leg and starts the connect to the upstream (on the same loop).
    private func accepted(_ downstream: Channel) throws {
        let number = nextConnectionNumber()
        statistics.connectionAccepted()
        track(downstream)
        let handlers = downstream.pipeline.syncOperations
        if let delay = configuration.recvDelay(on: .downstream) {
            try handlers.addHandler(ReadDelayHandler(delay: .milliseconds(Int64(delay))))
        }
        let downstreamMark = RechunkMark()
        if let sink {
            try handlers.addHandler(
                CallRecordingHandler(
                    connection: number, leg: .downstream, sink: sink, keepsPayload: keepsPayload,
                    readSize: configuration.recvSize(on: .downstream), rechunkMark: downstreamMark))
            sink.record(
                SessionCall(
                    kind: .accept, connection: number, leg: .downstream,
                    source: downstream.remoteAddress.flatMap(Endpoint.init(socketAddress:)),
                    destination: downstream.localAddress.flatMap(Endpoint.init(socketAddress:)), timestamp: .now()))
        }
        if let rechunk = configuration.rechunkHandler(writing: .downstream, connection: number, mark: downstreamMark) {
            try handlers.addHandler(rechunk)
        }
        if let idle = configuration.idleTimeoutSeconds {
            try handlers.addHandler(IdleStateHandler(allTimeout: .nanoseconds(Int64(idle * 1e9))))
        }
        let downstreamClosed = ClosedFlag()
        downstream.closeFuture.assumeIsolated().whenComplete { _ in downstreamClosed.isClosed = true }
        let upstreamSettings = readSettings(on: .upstream)
        let sink = self.sink
        let configuration = self.configuration
        let keepsPayload = self.keepsPayload
        let loop = downstream.eventLoop
        let connect = ClientBootstrap(group: loop)
            .channelOption(.autoRead, value: false)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelOption(.recvAllocator, value: upstreamSettings.allocator)
            .channelOption(.maxMessagesPerRead, value: upstreamSettings.readsPerWakeup)
            .connectTimeout(.seconds(10))
            .channelInitializer { upstream in
                upstream.eventLoop.makeCompletedFuture {
                    let handlers = upstream.pipeline.syncOperations
                    if let delay = configuration.recvDelay(on: .upstream) {
                        try handlers.addHandler(ReadDelayHandler(delay: .milliseconds(Int64(delay))))
                    }
                    let mark = RechunkMark()
                    if let sink {
                        try handlers.addHandler(
                            CallRecordingHandler(
                                connection: number, leg: .upstream, sink: sink, keepsPayload: keepsPayload,
                                readSize: configuration.recvSize(on: .upstream), rechunkMark: mark))
                    }
                    if let rechunk = configuration.rechunkHandler(writing: .upstream, connection: number, mark: mark) {
                        try handlers.addHandler(rechunk)
                    }
                }
            }
            .connect(to: try configuration.upstream.socketAddress())
            .hop(to: loop)
        connect.assumeIsolated().whenComplete { [self] result in
            switch result {
            case .success(let upstream):
                relay(downstream, to: upstream, number: number, downstreamClosed: downstreamClosed)
            case .failure(let error):
                var failed = SessionCall(
                    kind: .error, connection: number, leg: .upstream, destination: configuration.upstream,
                    timestamp: .now())
                failed.failure = CallFailure(error, operation: "connect")
                sink?.record(failed)
                connectFailed(connection: number, error: error)
                downstream.close(promise: nil)
                downstream.closeFuture.whenComplete { [self] _ in
                    untrack(downstream)
                    connectionEnded()
                }
            }
        }
    }

    /// Glues the two legs together and starts reading on both.
    private func relay(_ downstream: Channel, to upstream: Channel, number: Int, downstreamClosed: ClosedFlag) {
        sink?.record(
            SessionCall(
                kind: .connect, connection: number, leg: .upstream,
                source: upstream.localAddress.flatMap(Endpoint.init(socketAddress:)),
                destination: upstream.remoteAddress.flatMap(Endpoint.init(socketAddress:)), timestamp: .now()))
        let relay = RelayConnection(statistics: statistics, recording: sink)
        let glue = relay.makeGluePair()
        do {
            try downstream.pipeline.syncOperations.addHandler(glue.downstream)
            try upstream.pipeline.syncOperations.addHandler(glue.upstream)
        } catch {
            downstream.close(promise: nil)
            upstream.close(promise: nil)
        }
        let statistics = self.statistics
        downstream.closeFuture.and(upstream.closeFuture).assumeIsolated().whenComplete { [self] _ in
            statistics.relayed(glue.downstream.bytesRelayed, clientToServer: true)
            statistics.relayed(glue.upstream.bytesRelayed, clientToServer: false)
            untrack(downstream)
            connectionEnded()
        }
        if downstreamClosed.isClosed {  // the client left while we connected: its glue never sees it go
            upstream.close(promise: nil)
            return
        }
        glue.downstream.startReading()
        glue.upstream.startReading()
    }
}

extension ProxyConfiguration {
    /// The `RechunkHandler` for the writes on `leg` (c2s on upstream, s2c on downstream), if a rule asks for one.
    /// Each connection and direction draws its random cuts from its own seed, derived from `rechunkSeed`, so a
    /// run's cuts do not depend on how connections interleave.
    func rechunkHandler(writing leg: Leg, connection: Int, mark: RechunkMark) -> RechunkHandler? {
        let direction = leg.proxyReadDirection.reversed
        guard let rule = rechunkRule(for: direction) else { return nil }
        let seed = rechunkSeed &+ UInt64(connection) &* 0x1_0000 &+ (direction == .clientToServer ? 0 : 1)
        return RechunkHandler(kind: rule.kind, seed: seed, delayMilliseconds: rechunkDelayMilliseconds, mark: mark)
    }
}

/// Whether a channel's close future completed; read and written on the channel's event loop only.
/// (A channel not yet active is not closed: the connect can finish before the accepted channel is active.)
final class ClosedFlag {
    var isClosed = false
}
