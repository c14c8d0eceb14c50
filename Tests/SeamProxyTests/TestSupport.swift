#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SeamCore
@testable import SeamProxy
import SeamRecording

/// Collects every call the proxy makes (thread-safe), each with the bytes it moved in `payload`.
final class CallCollector: SessionCallSink, Sendable {
    private let box = NIOLockedValueBox<[SessionCall]>([])
    func record(_ call: SessionCall, payload: ByteBuffer?) {
        var call = call
        if let payload { call.payload = Array(payload.readableBytesView) }
        box.withLockedValue { $0.append(call) }
    }
    var calls: [SessionCall] { box.withLockedValue { $0 } }
    func calls(_ kind: SessionCall.Kind, leg: Leg? = nil, connection: Int? = nil) -> [SessionCall] {
        calls.filter { $0.kind == kind && (leg == nil || $0.leg == leg) && (connection == nil || $0.connection == connection) }
    }
}

/// Runs blocking work on a plain thread (not the cooperative pool, which has only 2 threads here).
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(with: Result { try body() })
        }
    }
}

struct SocketFailure: Error, CustomStringConvertible {
    var what: String
    var errno: Int32
    var description: String { "\(what): \(String(cString: strerror(errno)))" }
}

/// A blocking IPv4/IPv6 TCP or UDP socket for the tests' own clients and servers, with a receive timeout.
final class TestSocket: @unchecked Sendable {
    let fd: Int32

    init(fd: Int32) { self.fd = fd }

    static func connect(port: Int, udp: Bool = false, timeoutSeconds: Int = 15) throws -> TestSocket {
        let fd = socket(AF_INET, Int32(udp ? SOCK_DGRAM.rawValue : SOCK_STREAM.rawValue), 0)
        let sock = TestSocket(fd: fd)
        sock.setTimeout(timeoutSeconds)
        var address = loopback(port: port)
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if rc != 0 { throw SocketFailure(what: "connect to \(port)", errno: errno) }
        return sock
    }

    /// A listening (TCP) or bound (UDP) socket on 127.0.0.1 and a free port.
    static func listen(udp: Bool = false) throws -> (TestSocket, Int) {
        let fd = socket(AF_INET, Int32(udp ? SOCK_DGRAM.rawValue : SOCK_STREAM.rawValue), 0)
        var address = loopback(port: 0)
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if !udp { Glibc.listen(fd, 512) }
        var bound = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        let sock = TestSocket(fd: fd)
        sock.setTimeout(5)
        return (sock, Int(UInt16(bigEndian: bound.sin_port)))
    }

    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        return address
    }

    func setTimeout(_ seconds: Int) {
        var tv = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    func accept() throws -> TestSocket {
        let client = Glibc.accept(fd, nil, nil)
        if client < 0 { throw SocketFailure(what: "accept", errno: errno) }
        let sock = TestSocket(fd: client)
        sock.setTimeout(5)
        return sock
    }

    func send(_ bytes: [UInt8]) throws {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + done, bytes.count - done, Int32(MSG_NOSIGNAL)) }
            if n < 0 { throw SocketFailure(what: "send", errno: errno) }
            done += n
        }
    }

    /// One recv of at most `size` bytes; empty at end of file.
    func recv(_ size: Int = 65536) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: size)
        let n = buffer.withUnsafeMutableBytes { Glibc.recv(fd, $0.baseAddress, size, 0) }
        if n < 0 { throw SocketFailure(what: "recv", errno: errno) }
        return Array(buffer.prefix(n))
    }

    /// Reads until end of file.
    func readToEnd() throws -> [UInt8] {
        var all: [UInt8] = []
        while true {
            let chunk = try recv()
            if chunk.isEmpty { return all }
            all += chunk
        }
    }

    func recvFrom() throws -> ([UInt8], sockaddr_in) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        var from = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let n = buffer.withUnsafeMutableBytes { bytes in
            withUnsafeMutablePointer(to: &from) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.recvfrom(fd, bytes.baseAddress, 65536, 0, $0, &length) }
            }
        }
        if n < 0 { throw SocketFailure(what: "recvfrom", errno: errno) }
        return (Array(buffer.prefix(n)), from)
    }

    func sendTo(_ bytes: [UInt8], _ address: sockaddr_in) {
        var address = address
        _ = bytes.withUnsafeBytes { raw in
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.sendto(fd, raw.baseAddress, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
    }

    func shutdownWrite() { Glibc.shutdown(fd, Int32(SHUT_WR)) }

    /// Close with SO_LINGER 0: the peer gets RST.
    func reset() {
        var value = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &value, socklen_t(MemoryLayout<linger>.size))
        Glibc.close(fd)
    }

    func close() { Glibc.close(fd) }
}

/// A TCP echo server on NIO: echoes every chunk, and on the client's FIN sends its own FIN after the echo.
final class EchoServer: Sendable {
    let channel: Channel
    let port: Int

    init(group: EventLoopGroup) async throws {
        channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(EchoHandler()) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress?.port ?? 0
    }

    func close() async { try? await channel.close() }

    final class EchoHandler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        func channelRead(context: ChannelHandlerContext, data: NIOAny) { context.writeAndFlush(data, promise: nil) }
        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if let event = event as? ChannelEvent, case .inputClosed = event { context.close(mode: .output, promise: nil) }
        }
        func errorCaught(context: ChannelHandlerContext, error: Error) { context.close(promise: nil) }
    }
}

/// Starts a proxy on 127.0.0.1:0 with a collecting sink; `finish()` shuts it down and returns the summary.
struct RunningProxy: Sendable {
    let server: ProxyServer
    let port: Int
    let calls: CallCollector
    let run: Task<ProxySummary, any Error>

    static func start(
        upstreamPort: Int, group: EventLoopGroup, configure: (inout ProxyConfiguration) -> Void = { _ in }
    ) async throws -> RunningProxy {
        var configuration = ProxyConfiguration(
            listen: Endpoint("127.0.0.1:0")!, upstream: Endpoint("127.0.0.1:\(upstreamPort)")!)
        configuration.quiet = true
        configuration.drainSeconds = 0.5
        configure(&configuration)
        let calls = CallCollector()
        let server = ProxyServer(configuration: configuration, sink: calls, group: group)
        let bound = try await server.start()
        let run = Task { try await server.run() }
        return RunningProxy(server: server, port: bound.port!, calls: calls, run: run)
    }

    func finish() async throws -> ProxySummary {
        server.shutdown()
        return try await run.value
    }
}

/// Polls `condition` every 10 ms for up to `seconds`.
func eventually(_ seconds: Double = 5, _ condition: () -> Bool) async -> Bool {
    let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
    while DispatchTime.now().uptimeNanoseconds < deadline {
        if condition() { return true }
        try? await Task.sleep(nanoseconds: 10_000_000)
    }
    return condition()
}

/// A deterministic pseudo-random generator (SplitMix64) so failures reproduce.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
