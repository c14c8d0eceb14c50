#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import NIOCore
import NIOPosix
import SeamCore
import Testing

@testable import SeamProxy

/// End-to-end over 127.0.0.1 with real sockets: the proxy in-process on port 0.
@Suite(.serialized) struct ProxyServerTests {
    let group = MultiThreadedEventLoopGroup.singleton

    @Test func relaysOneMebibyteBothWaysWithRandomChunking() async throws {
        let echo = try await EchoServer(group: group)
        let proxy = try await RunningProxy.start(upstreamPort: echo.port, group: group)
        var generator = SeededGenerator(state: 42)
        let payload = (0..<(1 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        var cuts: [Int] = []
        var at = 0
        while at < payload.count {
            cuts.append(at)
            at += Int.random(in: 1...20_000, using: &generator)
        }
        let chunks = cuts.indices.map { payload[cuts[$0]..<min(payload.count, cuts.indices.contains($0 + 1) ? cuts[$0 + 1] : payload.count)] }
        let port = proxy.port
        let received = try await onThread { () -> [UInt8] in
            let client = try TestSocket.connect(port: port)
            defer { client.close() }
            let writer = DispatchQueue(label: "writer")
            writer.async {
                for chunk in chunks { try? client.send(Array(chunk)) }
                client.shutdownWrite()
            }
            return try client.readToEnd()
        }
        #expect(received.count == payload.count)
        #expect(received == payload)
        #expect(await eventually { proxy.server.statistics.closedConnections == 1 })
        let summary = try await proxy.finish()
        #expect(summary.bytesClientToServer == UInt64(payload.count))
        #expect(summary.bytesServerToClient == UInt64(payload.count))
        let recvs = proxy.calls.calls(.recv, leg: .downstream).filter { $0.length! > 0 }
        let sends = proxy.calls.calls(.send, leg: .upstream)
        #expect(recvs.map(\.length) == sends.map(\.length), "chunk-preserving: one send per recv")
        #expect(sends.map { $0.offset! } == recvs.map { $0.offset! })
        await echo.close()
    }

    @Test func twoHundredConcurrentConnections() async throws {
        let echo = try await EchoServer(group: group)
        let proxy = try await RunningProxy.start(upstreamPort: echo.port, group: group)
        let port = proxy.port
        let allEchoed = try await onThread { () -> Bool in
            let clients = try (0..<200).map { _ in try TestSocket.connect(port: port) }
            for (index, client) in clients.enumerated() { try client.send(Array("client \(index)\n".utf8)) }
            var ok = true
            for (index, client) in clients.enumerated() {
                client.shutdownWrite()
                let echoed = try client.readToEnd()
                ok = ok && echoed == Array("client \(index)\n".utf8)
                client.close()
            }
            return ok
        }
        #expect(allEchoed)
        #expect(await eventually { proxy.server.statistics.closedConnections == 200 })
        let summary = try await proxy.finish()
        #expect(summary.accepted == 200)
        #expect(proxy.calls.calls(.accept).count == 200)
        #expect(Set(proxy.calls.calls(.connect).map(\.connection)).count == 200)
        await echo.close()
    }

    @Test func halfCloseReachesTheServerAndTheReplyStillFlowsBack() async throws {
        let (listener, serverPort) = try TestSocket.listen()
        let proxy = try await RunningProxy.start(upstreamPort: serverPort, group: group)
        let port = proxy.port
        async let server: [UInt8] = onThread {
            let peer = try listener.accept()
            let request = try peer.readToEnd()  // ends only with the client's FIN passed on
            try peer.send(Array("reply to ".utf8) + request)
            peer.close()
            return request
        }
        let reply = try await onThread { () -> [UInt8] in
            let client = try TestSocket.connect(port: port)
            try client.send(Array("question".utf8))
            client.shutdownWrite()
            defer { client.close() }
            return try client.readToEnd()
        }
        #expect(try await server == Array("question".utf8))
        #expect(reply == Array("reply to question".utf8))
        #expect(await eventually { proxy.server.statistics.closedConnections == 1 })
        _ = try await proxy.finish()
        #expect(proxy.calls.calls(.shutdown, leg: .upstream).count == 1)
        #expect(proxy.calls.calls(.reset).isEmpty)
        listener.close()
    }

    @Test func resetOnTheClientLegBecomesResetOnTheServerLeg() async throws {
        let (listener, serverPort) = try TestSocket.listen()
        let proxy = try await RunningProxy.start(upstreamPort: serverPort, group: group)
        let port = proxy.port
        async let serverSaw: Int32 = onThread {
            let peer = try listener.accept()
            defer { peer.close() }
            _ = try peer.recv()  // "hi"
            do {
                let more = try peer.recv()
                return more.isEmpty ? 0 : -1  // 0: a FIN, not a reset
            } catch let failure as SocketFailure {
                return failure.errno
            }
        }
        try await onThread {
            let client = try TestSocket.connect(port: port)
            try client.send(Array("hi".utf8))
            usleep(200_000)
            client.reset()
        }
        #expect(try await serverSaw == ECONNRESET)
        #expect(await eventually { proxy.server.statistics.closedConnections == 1 })
        _ = try await proxy.finish()
        #expect(proxy.calls.calls(.reset, leg: .upstream).count == 1)
        #expect(proxy.calls.calls(.error, leg: .downstream).count == 1)
        listener.close()
    }

    @Test func refusedUpstreamClosesTheClientAndTheProxyGoesOn() async throws {
        let (closed, refusedPort) = try TestSocket.listen()
        closed.close()  // nothing listens there now
        let proxy = try await RunningProxy.start(upstreamPort: refusedPort, group: group)
        let port = proxy.port
        for _ in 0..<2 {
            let ended = try await onThread { () -> Bool in
                let client = try TestSocket.connect(port: port)
                defer { client.close() }
                return (try? client.recv())?.isEmpty ?? true  // EOF or reset, but not data or a timeout
            }
            #expect(ended)
        }
        #expect(await eventually { proxy.server.statistics.closedConnections == 2 })
        await #expect(throws: ProxyError.self) { try await proxy.finish() }
        #expect(proxy.calls.calls(.accept).count == 2)
        let errors = proxy.calls.calls(.error, leg: .upstream)
        #expect(errors.count == 2)
        #expect(errors.first?.failure?.errorNumber?.name == "ECONNREFUSED")
        #expect(errors.first?.failure?.operation == "connect")
        #expect(proxy.server.statistics.failedConnections == 2)
    }

    @Test func aSlowReaderKeepsTheProxysBuffersBounded() async throws {
        let (listener, serverPort) = try TestSocket.listen()
        let proxy = try await RunningProxy.start(upstreamPort: serverPort, group: group)
        let port = proxy.port
        async let serverPeer: TestSocket = onThread { try listener.accept() }  // accepts, never reads
        let sent = try await onThread { () -> Int in
            let client = try TestSocket.connect(port: port)
            defer { client.reset() }
            var flags = fcntl(client.fd, F_GETFL)
            flags |= O_NONBLOCK
            _ = fcntl(client.fd, F_SETFL, flags)
            let chunk = [UInt8](repeating: 0x55, count: 65_536)
            var total = 0
            let deadline = DispatchTime.now().uptimeNanoseconds + 1_500_000_000
            while DispatchTime.now().uptimeNanoseconds < deadline && total < 64 << 20 {
                let n = chunk.withUnsafeBytes { send(client.fd, $0.baseAddress, chunk.count, Int32(MSG_NOSIGNAL)) }
                if n > 0 { total += n } else { usleep(1000) }
            }
            return total
        }
        let peer = try await serverPeer
        // The kernel buffers of both legs hold megabytes; the proxy itself holds at most its write watermark
        // (64 KiB) plus one read batch (4 reads of at most 64 KiB).
        let peak = proxy.server.statistics.peakBufferedBytes
        #expect(sent > 1 << 20, "the writer pushed far more than the proxy may hold")
        #expect(sent < 64 << 20, "the writer was stopped by backpressure")
        #expect(peak >= 64 << 10, "the proxy did see its write queue fill")
        #expect(peak <= (64 << 10) + 4 * (64 << 10), "peak queued in the proxy: \(peak) bytes")
        peer.close()
        _ = try await proxy.finish()
        listener.close()
    }

    @Test func recvSizeLimitsEveryRead() async throws {
        let echo = try await EchoServer(group: group)
        let proxy = try await RunningProxy.start(upstreamPort: echo.port, group: group) { $0.recvSize = 7 }
        let port = proxy.port
        let message = Array("0123456789abcdefghijklmnopqrstuvwxyz-0123456789".utf8)
        let reply = try await onThread { () -> [UInt8] in
            let client = try TestSocket.connect(port: port)
            defer { client.close() }
            try client.send(message)
            client.shutdownWrite()
            return try client.readToEnd()
        }
        #expect(reply == message)
        #expect(await eventually { proxy.server.statistics.closedConnections == 1 })
        _ = try await proxy.finish()
        let recvs = proxy.calls.calls(.recv, leg: .downstream).filter { $0.length! > 0 }
        #expect(recvs.count >= message.count / 7)
        #expect(recvs.allSatisfy { $0.length! <= 7 && $0.bufferSize == 7 }, "\(recvs.map { ($0.length, $0.bufferSize) })")
        #expect(recvs.map { $0.length! }.reduce(0, +) == message.count)
        let upstreamRecvs = proxy.calls.calls(.recv, leg: .upstream).filter { $0.length! > 0 }
        #expect(upstreamRecvs.allSatisfy { $0.bufferSize == nil }, "--emulate server leaves the client side alone")
    }

    @Test func recvDelayMakesOneReadTakeTwoSends() async throws {
        let echo = try await EchoServer(group: group)
        let proxy = try await RunningProxy.start(upstreamPort: echo.port, group: group) {
            $0.recvDelayMilliseconds = 400
        }
        let port = proxy.port
        let reply = try await onThread { () -> [UInt8] in
            let client = try TestSocket.connect(port: port)
            defer { client.close() }
            let started = DispatchTime.now().uptimeNanoseconds
            try client.send(Array("first|".utf8))
            usleep(100_000)
            try client.send(Array("second".utf8))
            var echoed: [UInt8] = []
            while echoed.count < 12 { echoed += try client.recv() }  // no FIN yet: NIO reads at once on FIN
            let elapsed = DispatchTime.now().uptimeNanoseconds - started
            client.shutdownWrite()
            return try client.readToEnd() + echoed + (elapsed >= 350_000_000 ? [] : Array("too early".utf8))
        }
        #expect(reply == Array("first|second".utf8))
        #expect(await eventually { proxy.server.statistics.closedConnections == 1 })
        _ = try await proxy.finish()
        let recvs = proxy.calls.calls(.recv, leg: .downstream).filter { $0.length! > 0 }
        #expect(recvs.map(\.length) == [12], "both sends, 100 ms apart, arrived in one delayed read")
    }

    @Test func addressInUseIsAClearError() async throws {
        let (listener, port) = try TestSocket.listen()
        defer { listener.close() }
        var configuration = ProxyConfiguration(
            listen: Endpoint("127.0.0.1:\(port)")!, upstream: Endpoint("127.0.0.1:9")!)
        configuration.quiet = true
        let server = ProxyServer(configuration: configuration, sink: nil, group: group)
        await #expect(throws: ProxyError.addressInUse("127.0.0.1:\(port)")) { try await server.start() }
    }

    @Test func connectionsLimitEndsTheRunAndIPv6Works() async throws {
        let echo = try await EchoServer(group: group)
        var configuration = ProxyConfiguration(listen: Endpoint("[::1]:0")!, upstream: Endpoint("127.0.0.1:\(echo.port)")!)
        configuration.connections = 1
        configuration.quiet = true
        let server = ProxyServer(configuration: configuration, sink: nil, group: group)
        let bound = try await server.start()
        let port = bound.port!
        let reply = try await onThread { () -> [UInt8] in
            let fd = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = UInt16(port).bigEndian
            address.sin6_addr = in6addr_loopback
            let rc = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
            guard rc == 0 else { throw SocketFailure(what: "connect [::1]", errno: errno) }
            let client = TestSocket(fd: fd)
            client.setTimeout(5)
            defer { client.close() }
            try client.send(Array("v6".utf8))
            client.shutdownWrite()
            return try client.readToEnd()
        }
        #expect(reply == Array("v6".utf8))
        let summary = try await server.run()  // returns by itself after one connection
        #expect(summary.reason == "connections")
        #expect(summary.closed == 1)
        await echo.close()
    }
}
