import NIOConcurrencyHelpers
import SeamCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A plain POSIX socket of a demo peer on 127.0.0.1 that records its own calls into the session with
/// `leg=app`: the one place where Seam knows a program's `send` layer exactly.
///
/// Each call is stated as the session format wants it: `direction` is c2s for the client's sends and the
/// server's reads, `offset` counts the bytes already moved that way on this socket (per peer for UDP),
/// `bufferSize` is what was asked (`recv(N)` → N, `send` → bytes offered), `length` what the kernel moved,
/// and source/destination are the endpoints in the direction of the data, so the analyzer ties the call
/// to the captured flow by its 4-tuple. Blocking unless `setNonBlocking()`; used by one thread at a time.
public final class DemoSocket: @unchecked Sendable {
    /// Which end of the conversation the socket is: it decides the direction of its sends and reads.
    public enum Role: Sendable { case client, server }

    public let descriptor: Int32
    public let transport: Transport
    public let role: Role
    private let session: DemoSession
    private var connectionIDs: [Endpoint: Int] = [:]
    private var offsets: [Endpoint: [Direction: UInt64]] = [:]
    private var isClosed = false

    init(descriptor: Int32, transport: Transport, role: Role, session: DemoSession) {
        self.descriptor = descriptor
        self.transport = transport
        self.role = role
        self.session = session
    }

    deinit { close(record: false) }

    // MARK: - Making sockets

    /// A TCP listener on 127.0.0.1:`port` (0: a free port), with SO_REUSEADDR unless told not to.
    public static func listener(session: DemoSession, port: UInt16 = 0, reuseAddress: Bool = true) throws -> DemoSocket
    {
        let socket = try make(SOCK_STREAM, .tcp, .server, session)
        if reuseAddress { try socket.setOption(SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR") }
        try socket.bind(port: port)
        guard Glibc.listen(socket.descriptor, 16) == 0 else { throw DemoError.errno("listen") }
        return socket
    }

    /// A TCP client connected to `server`; options are set before connecting.
    public static func connect(
        session: DemoSession,
        to server: Endpoint,
        noDelay: Bool = false,
        sendBuffer: Int? = nil
    ) throws -> DemoSocket {
        let socket = try make(SOCK_STREAM, .tcp, .client, session)
        if noDelay { try socket.setOption(Int32(IPPROTO_TCP), TCP_NODELAY, 1, "TCP_NODELAY") }
        if let sendBuffer { try socket.setOption(SOL_SOCKET, SO_SNDBUF, Int32(sendBuffer), "SO_SNDBUF") }
        var address = sockaddr_in(server)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(socket.descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else { throw DemoError.errno("connect to \(server)") }
        socket.recordCall(.connect, peer: server, direction: nil, source: socket.localEndpoint, destination: server)
        return socket
    }

    /// A UDP socket on 127.0.0.1:`port` (0: a free port).
    public static func udp(session: DemoSession, role: Role, port: UInt16 = 0) throws -> DemoSocket {
        let socket = try make(SOCK_DGRAM, .udp, role, session)
        try socket.bind(port: port)
        return socket
    }

    private static func make(
        _ type: __socket_type,
        _ transport: Transport,
        _ role: Role,
        _ session: DemoSession
    ) throws -> DemoSocket {
        let descriptor = Glibc.socket(AF_INET, Int32(type.rawValue), 0)
        guard descriptor >= 0 else { throw DemoError.errno("socket") }
        return DemoSocket(descriptor: descriptor, transport: transport, role: role, session: session)
    }

    /// Binds 127.0.0.1:`port`; EADDRINUSE is reported as such (`DemoError` text starts with `bind`).
    func bind(port: UInt16) throws {
        var address = sockaddr_in(Endpoint(address: .v4(0x7f00_0001), port: port))
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else { throw DemoError.errno("bind 127.0.0.1:\(port)") }
    }

    public func setOption(_ level: Int32, _ name: Int32, _ value: Int32, _ label: String) throws {
        var value = value
        guard setsockopt(descriptor, level, name, &value, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw DemoError.errno("setsockopt \(label)")
        }
    }

    /// Makes `send` return at once with what fits (EAGAIN when nothing does).
    public func setNonBlocking() {
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
    }

    /// Waits until a read of this socket would not block, at most `timeout` seconds.
    public func waitReadable(timeout: Double) -> Bool {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, Int32(timeout * 1000)) > 0
    }

    /// Sets SO_RCVTIMEO so a read never blocks a lesson for ever.
    public func setReceiveTimeout(_ seconds: Double) {
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - Double(Int(seconds))) * 1e6))
        _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    // MARK: - Endpoints

    public var localEndpoint: Endpoint { endpoint(getsockname) }
    public var peerEndpoint: Endpoint { endpoint(getpeername) }

    private func endpoint(
        _ call: (Int32, UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<socklen_t>) -> Int32
    ) -> Endpoint {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { call(descriptor, $0, &length) }
        }
        return Endpoint(sockaddr: address)
    }

    // MARK: - Calls

    /// accept(2): the connection's server-side socket; records `call=accept`.
    public func accept() throws -> DemoSocket {
        let descriptor = Glibc.accept(self.descriptor, nil, nil)
        guard descriptor >= 0 else { throw DemoError.errno("accept") }
        let socket = DemoSocket(descriptor: descriptor, transport: .tcp, role: .server, session: session)
        let peer = socket.peerEndpoint
        socket.recordCall(.accept, peer: peer, direction: nil, source: peer, destination: socket.localEndpoint)
        return socket
    }

    /// send(2) once: returns what the kernel took (maybe less than asked on a non-blocking socket; 0 on
    /// EAGAIN). Records `len` = taken, `buf` = asked.
    @discardableResult
    public func send(_ bytes: [UInt8], flags: Int32 = 0) throws -> Int {
        let sent = bytes.withUnsafeBytes {
            Glibc.send(descriptor, $0.baseAddress, $0.count, flags | Int32(MSG_NOSIGNAL))
        }
        if sent < 0 {
            if Glibc.errno == EAGAIN || Glibc.errno == EWOULDBLOCK {
                recordData(
                    .send,
                    peer: peerEndpoint,
                    bytes: [],
                    asked: bytes.count,
                    failure: CallFailure(operation: "send", errorNumber: ErrorNumber(EAGAIN))
                )
                return 0
            }
            throw DemoError.errno("send")
        }
        recordData(.send, peer: peerEndpoint, bytes: Array(bytes[0..<sent]), asked: bytes.count)
        return sent
    }

    /// Python's `sendall`: send until everything is taken, waiting for room (poll) in between.
    /// - Returns: the number of send calls it took.
    @discardableResult
    public func sendAll(_ bytes: [UInt8]) throws -> Int {
        var offset = 0
        var calls = 0
        repeat {
            let sent = try send(Array(bytes[offset...]))
            calls += 1
            offset += sent
            if offset < bytes.count {
                var entry = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
                guard poll(&entry, 1, 3_000) > 0 else { throw DemoError("sendall: no room to send for 3 s") }
            }
        } while offset < bytes.count
        return calls
    }

    /// recv(2) with a buffer of `size`: what arrived, at most `size` bytes; empty when the peer closed.
    public func recv(_ size: Int) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: size)
        let count = buffer.withUnsafeMutableBytes { Glibc.recv(descriptor, $0.baseAddress, size, 0) }
        guard count >= 0 else { throw DemoError.errno("recv(\(size))") }
        let bytes = Array(buffer[0..<count])
        recordData(.recv, peer: peerEndpoint, bytes: bytes, asked: size)
        return bytes
    }

    /// sendto(2) of one datagram (may be empty).
    @discardableResult
    public func sendTo(_ bytes: [UInt8], _ peer: Endpoint) throws -> Int {
        var address = sockaddr_in(peer)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { target in
                bytes.withUnsafeBytes {
                    Glibc.sendto(
                        descriptor,
                        $0.baseAddress,
                        $0.count,
                        0,
                        target,
                        socklen_t(MemoryLayout<sockaddr_in>.size)
                    )
                }
            }
        }
        guard sent >= 0 else { throw DemoError.errno("sendto \(peer)") }
        recordData(.send, peer: peer, bytes: Array(bytes[0..<sent]), asked: bytes.count)
        return sent
    }

    /// recvfrom(2) with a buffer of `size`: one datagram, cut to `size` (the cut is recorded as `truncated=`).
    public func recvFrom(_ size: Int) throws -> (bytes: [UInt8], from: Endpoint) {
        var buffer = [UInt8](repeating: 0, count: max(size, 1))
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let count = buffer.withUnsafeMutableBytes { raw in
            withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.recvfrom(descriptor, raw.baseAddress, size, Int32(MSG_TRUNC), $0, &length)
                }
            }
        }
        guard count >= 0 else { throw DemoError.errno("recvfrom(\(size))") }
        let peer = Endpoint(sockaddr: address)
        let kept = min(count, size)
        recordData(
            .recv, peer: peer, bytes: Array(buffer[0..<kept]), asked: size,
            truncatedBytes: count > size ? count - size : nil)
        return (Array(buffer[0..<kept]), peer)
    }

    /// shutdown(SHUT_WR): no more sends; the peer's recv returns b'' once it has read everything.
    public func shutdownWrite() {
        let peer = peerEndpoint
        _ = Glibc.shutdown(descriptor, Int32(SHUT_WR))
        recordCall(.shutdown, peer: peer, direction: nil, source: localEndpoint, destination: peer)
    }

    /// Reads (recv(`size`)) until the peer closes; returns the bytes.
    @discardableResult
    public func drain(_ size: Int = 65_536) throws -> [UInt8] {
        var data: [UInt8] = []
        while true {
            let piece = try recv(size)
            if piece.isEmpty { return data }
            data += piece
        }
    }

    /// close(2), recorded once.
    public func close() { close(record: true) }

    private func close(record: Bool) {
        guard !isClosed else { return }
        isClosed = true
        if record && transport == .tcp {
            let peer = connectionIDs.keys.first ?? peerEndpoint
            recordCall(.close, peer: peer, direction: nil, source: localEndpoint, destination: peer)
        }
        _ = Glibc.close(descriptor)
    }

    // MARK: - Recording

    private func connectionID(_ peer: Endpoint) -> Int {
        if let id = connectionIDs[peer] { return id }
        let id = session.nextAppConnection()
        connectionIDs[peer] = id
        return id
    }

    private func recordCall(
        _ kind: SessionCall.Kind,
        peer: Endpoint,
        direction: Direction?,
        source: Endpoint,
        destination: Endpoint
    ) {
        session.record(
            SessionCall(
                kind: kind,
                connection: connectionID(peer),
                leg: .app,
                transport: transport,
                direction: direction,
                source: source,
                destination: destination,
                timestamp: .now()
            )
        )
    }

    private func recordData(
        _ kind: SessionCall.Kind,
        peer: Endpoint,
        bytes: [UInt8],
        asked: Int,
        truncatedBytes: Int? = nil,
        failure: CallFailure? = nil
    ) {
        let sending = kind == .send
        let direction: Direction = (sending == (role == .client)) ? .clientToServer : .serverToClient
        let offset = offsets[peer, default: [:]][direction, default: 0]
        offsets[peer, default: [:]][direction] = offset + UInt64(bytes.count)
        let local = localEndpoint
        var call = SessionCall(
            kind: kind,
            connection: connectionID(peer),
            leg: .app,
            transport: transport,
            direction: direction,
            offset: offset,
            length: bytes.count,
            bufferSize: asked,
            source: sending ? local : peer,
            destination: sending ? peer : local,
            timestamp: .now(),
            payload: bytes
        )
        call.truncatedBytes = truncatedBytes
        call.failure = failure
        session.record(call)
    }
}

extension sockaddr_in {
    init(_ endpoint: Endpoint) {
        self.init()
        sin_family = sa_family_t(AF_INET)
        sin_port = endpoint.port.bigEndian
        if case .v4(let value) = endpoint.address { sin_addr = in_addr(s_addr: value.bigEndian) }
    }
}

extension Endpoint {
    init(sockaddr address: sockaddr_in) {
        self.init(address: .v4(UInt32(bigEndian: address.sin_addr.s_addr)), port: UInt16(bigEndian: address.sin_port))
    }
}
