import NIOCore
import NIOPosix
import SeamCore
import SeamRecording

/// The UDP relay: one upstream socket per client address (a NAT-like mapping), datagrams relayed 1:1.
///
/// Every read takes the whole datagram (64 KiB buffer). With `--recv-size N`, a datagram longer than N
/// is recorded with `truncated=K` (what a `recvfrom(N)` would have lost) and relayed intact, unless
/// `udpTruncate` cuts it. A mapping idle for `udpTimeoutSeconds` is closed and counts as a closed
/// connection. With a lossless session recorder, a socket's next read waits while the recorder is backed up,
/// so datagrams wait in the kernel's receive buffer instead of being dropped unseen by the proxy; the listener
/// also waits while a new mapping's upstream socket is set up (its datagrams are held, one read batch at most).
/// All state lives on the listener's event loop (the upstream sockets share it): that is
/// the whole of this type's thread-safety (`@unchecked Sendable`).
final class UDPRelay: @unchecked Sendable {
    /// The largest datagram a read takes.
    static let datagramBufferSize = 65_536

    final class Mapping {
        let number: Int
        let client: SocketAddress
        var upstream: Channel?
        var pending: [ByteBuffer] = []
        var lastActivity = NIODeadline.now()
        /// Byte axis positions: client→server read and written, server→client read and written.
        var c2sRecv: UInt64 = 0
        var c2sSend: UInt64 = 0
        var s2cRecv: UInt64 = 0
        var s2cSend: UInt64 = 0
        var closed = false

        init(number: Int, client: SocketAddress) {
            self.number = number
            self.client = client
        }
    }

    private let server: ProxyServer
    let loop: any EventLoop
    private var listener: Channel?
    private var listenEndpoint: Endpoint?
    private var mappings: [SocketAddress: Mapping] = [:]
    private var sweep: RepeatedTask?
    /// The listener's handler, whose reads wait while a mapping's upstream socket is being set up.
    private var listenerHandler: UDPDatagramHandler?
    /// Mappings whose upstream socket is not connected yet: their datagrams wait in `Mapping.pending`, which
    /// this bounds to one read batch, because the listener does not read again until none is left.
    private var connecting = 0

    init(server: ProxyServer) {
        self.server = server
        self.loop = server.group.next()
    }

    private var configuration: ProxyConfiguration { server.configuration }

    func bind(to address: SocketAddress) async throws -> Channel {
        let delay = configuration.recvDelay(on: .downstream)
        let channel = try await DatagramBootstrap(group: loop)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: Self.datagramBufferSize))
            .channelOption(.autoRead, value: false)
            .channelOption(.maxMessagesPerRead, value: UInt(delay == nil ? 16 : 1))
            .channelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    if let delay {
                        try channel.pipeline.syncOperations.addHandler(ReadDelayHandler(delay: .milliseconds(Int64(delay))))
                    }
                    let handler = UDPDatagramHandler(recording: server.sink) { [self] envelope in
                        fromClient(envelope)
                    }
                    handler.holdsReads = { [unowned self] in connecting > 0 }
                    listenerHandler = handler
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
            .bind(to: address)
            .get()
        let timeout = configuration.udpTimeoutSeconds
        let period = TimeAmount.nanoseconds(Int64(min(1, max(0.01, timeout / 4)) * 1e9))
        loop.execute { [self] in
            listener = channel
            listenEndpoint = channel.localAddress.flatMap(Endpoint.init(socketAddress:))
            sweep = loop.scheduleRepeatedTask(initialDelay: period, delay: period) { [self] _ in
                expire(olderThan: .now() - .nanoseconds(Int64(timeout * 1e9)))
            }
        }
        return channel
    }

    /// Closes every mapping (the run is over).
    func closeAll() async {
        try? await loop.submit { [self] in
            sweep?.cancel()
            expire(olderThan: .distantFuture)
        }.get()
    }

    private func record(_ call: SessionCall, payload: ByteBuffer? = nil) {
        server.sink?.record(call, payload: payload)
    }

    private func fromClient(_ envelope: AddressedEnvelope<ByteBuffer>) {
        let mapping = mappings[envelope.remoteAddress] ?? newMapping(for: envelope.remoteAddress)
        mapping.lastActivity = .now()
        let data = envelope.data
        let out = received(
            data, leg: .downstream, direction: .clientToServer, offset: mapping.c2sRecv, mapping: mapping,
            source: Endpoint(socketAddress: envelope.remoteAddress), destination: listenEndpoint)
        mapping.c2sRecv &+= UInt64(data.readableBytes)
        if mapping.upstream != nil {
            sendUpstream(out, mapping: mapping)
        } else {
            mapping.pending.append(out)
        }
    }

    /// Records a datagram read and returns what is relayed (cut to `recvSize` with `udpTruncate`).
    private func received(
        _ data: ByteBuffer, leg: Leg, direction: Direction, offset: UInt64, mapping: Mapping,
        source: Endpoint?, destination: Endpoint?
    ) -> ByteBuffer {
        let size = configuration.recvSize(on: leg)
        let lost = size.map { max(0, data.readableBytes - $0) } ?? 0
        if server.sink != nil {
            var recv = SessionCall(
                kind: .recv, connection: mapping.number, leg: leg, transport: .udp, direction: direction, offset: offset,
                length: data.readableBytes, bufferSize: size, source: source, destination: destination,
                timestamp: .now())
            if lost > 0 { recv.truncatedBytes = lost }
            record(recv, payload: server.keepsPayload ? data : nil)
        }
        server.statistics.datagramRelayed(truncated: lost > 0)
        if lost > 0, configuration.udpTruncate, let size {
            return data.getSlice(at: data.readerIndex, length: size) ?? data
        }
        return data
    }

    private func sendUpstream(_ data: ByteBuffer, mapping: Mapping) {
        guard let upstream = mapping.upstream else { return }
        let offset = mapping.c2sSend
        mapping.c2sSend &+= UInt64(data.readableBytes)
        server.statistics.relayed(UInt64(data.readableBytes), clientToServer: true)
        send(data, on: upstream, envelopeTo: nil, leg: .upstream, direction: .clientToServer, offset: offset,
             mapping: mapping, destination: configuration.upstream)
    }

    private func fromServer(_ envelope: AddressedEnvelope<ByteBuffer>, mapping: Mapping) {
        guard !mapping.closed, let listener else { return }
        mapping.lastActivity = .now()
        let data = envelope.data
        let out = received(
            data, leg: .upstream, direction: .serverToClient, offset: mapping.s2cRecv, mapping: mapping,
            source: Endpoint(socketAddress: envelope.remoteAddress),
            destination: mapping.upstream?.localAddress.flatMap(Endpoint.init(socketAddress:)))
        mapping.s2cRecv &+= UInt64(data.readableBytes)
        let offset = mapping.s2cSend
        mapping.s2cSend &+= UInt64(out.readableBytes)
        server.statistics.relayed(UInt64(out.readableBytes), clientToServer: false)
        send(out, on: listener, envelopeTo: mapping.client, leg: .downstream, direction: .serverToClient,
             offset: offset, mapping: mapping, destination: Endpoint(socketAddress: mapping.client))
    }

    /// Sends one relayed datagram; with a `--rechunk split:N` rule for `direction`, as datagrams of at most N
    /// bytes (each recorded as its own send, `rechunk=split`), to test a receiver's handling of short datagrams.
    private func send(
        _ data: ByteBuffer, on channel: Channel, envelopeTo client: SocketAddress?, leg: Leg,
        direction: Direction, offset: UInt64, mapping: Mapping, destination: Endpoint?
    ) {
        guard let rule = configuration.rechunkRule(for: direction), data.readableBytes > 0 else {
            sendDatagram(data, on: channel, envelopeTo: client, leg: leg, direction: direction, offset: offset,
                mapping: mapping, destination: destination, rechunk: nil)
            return
        }
        var sizer = PieceSizer(kind: rule.kind, seed: configuration.rechunkSeed &+ UInt64(mapping.number))
        let sizes = sizer.pieces(of: data.readableBytes)
        var rest = data
        var at = offset
        for size in sizes {
            let piece = rest.readSlice(length: size)!
            sendDatagram(piece, on: channel, envelopeTo: client, leg: leg, direction: direction, offset: at,
                mapping: mapping, destination: destination, rechunk: sizes.count > 1 ? .split : nil)
            at += UInt64(size)
        }
    }

    private func sendDatagram(
        _ data: ByteBuffer, on channel: Channel, envelopeTo client: SocketAddress?, leg: Leg,
        direction: Direction, offset: UInt64, mapping: Mapping, destination: Endpoint?, rechunk: SessionCall.Rechunk?
    ) {
        let written: EventLoopPromise<Void>?
        if let sink = server.sink {
            let promise = loop.makePromise(of: Void.self)
            var call = SessionCall(
                kind: .send, connection: mapping.number, leg: leg, transport: .udp, direction: direction, offset: offset,
                length: data.readableBytes, source: channel.localAddress.flatMap(Endpoint.init(socketAddress:)),
                destination: destination, timestamp: .now())
            call.rechunk = rechunk
            let marked = call
            let payload = server.keepsPayload ? data : nil
            promise.futureResult.whenSuccess {
                var sent = marked
                sent.timestamp = .now()
                sink.record(sent, payload: payload)
            }
            written = promise
        } else {
            written = nil
        }
        if let client {
            channel.writeAndFlush(AddressedEnvelope(remoteAddress: client, data: data), promise: written)
        } else {
            channel.writeAndFlush(data, promise: written)
        }
    }

    private func newMapping(for client: SocketAddress) -> Mapping {
        let mapping = Mapping(number: server.nextConnectionNumber(), client: client)
        mappings[client] = mapping
        server.statistics.connectionAccepted()
        record(
            SessionCall(
                kind: .accept, connection: mapping.number, leg: .downstream, transport: .udp,
                source: Endpoint(socketAddress: client), destination: listenEndpoint, timestamp: .now()))
        let delay = configuration.recvDelay(on: .upstream)
        let upstreamAddress: SocketAddress
        do {
            upstreamAddress = try configuration.upstream.socketAddress()
        } catch {
            fail(mapping, error: error)
            return mapping
        }
        connecting += 1
        let boundMapping = NIOLoopBound(mapping, eventLoop: loop)  // the upstream socket shares our loop
        DatagramBootstrap(group: loop)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: Self.datagramBufferSize))
            .channelOption(.autoRead, value: false)
            .channelOption(.maxMessagesPerRead, value: UInt(delay == nil ? 16 : 1))
            .channelInitializer { [self] channel in
                let mapping = boundMapping.value
                return channel.eventLoop.makeCompletedFuture {
                    if let delay {
                        try channel.pipeline.syncOperations.addHandler(ReadDelayHandler(delay: .milliseconds(Int64(delay))))
                    }
                    let handler = UDPDatagramHandler(recording: server.sink) { [self] envelope in
                        fromServer(envelope, mapping: mapping)
                    }
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
            .connect(to: upstreamAddress)
            .hop(to: loop)
            .assumeIsolated()
            .whenComplete { [self] result in
                connecting -= 1
                if connecting == 0 { listenerHandler?.resumeHeldRead() }
                switch result {
                case .success(let channel):
                    connected(mapping, channel)
                case .failure(let error):
                    fail(mapping, error: error)
                }
            }
        return mapping
    }

    private func connected(_ mapping: Mapping, _ channel: Channel) {
        guard !mapping.closed else {
            channel.close(promise: nil)
            return
        }
        mapping.upstream = channel
        record(
            SessionCall(
                kind: .connect, connection: mapping.number, leg: .upstream, transport: .udp,
                source: channel.localAddress.flatMap(Endpoint.init(socketAddress:)), destination: configuration.upstream,
                timestamp: .now()))
        let pending = mapping.pending
        mapping.pending = []
        for data in pending { sendUpstream(data, mapping: mapping) }
        channel.read()
    }

    private func fail(_ mapping: Mapping, error: Error) {
        var failed = SessionCall(
            kind: .error, connection: mapping.number, leg: .upstream, transport: .udp,
            destination: configuration.upstream, timestamp: .now())
        failed.failure = CallFailure(error, operation: "connect")
        record(failed)
        server.connectFailed(connection: mapping.number, error: error)
        end(mapping)
    }

    private func end(_ mapping: Mapping) {
        guard !mapping.closed else { return }
        mapping.closed = true
        mappings[mapping.client] = nil
        if let upstream = mapping.upstream {
            upstream.close(promise: nil)
            record(SessionCall(kind: .close, connection: mapping.number, leg: .upstream, transport: .udp, timestamp: .now()))
        }
        server.connectionEnded()
    }

    private func expire(olderThan deadline: NIODeadline) {
        for mapping in mappings.values where mapping.lastActivity < deadline {
            end(mapping)
        }
    }
}
