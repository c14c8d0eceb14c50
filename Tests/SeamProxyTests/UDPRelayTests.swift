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

@Suite(.serialized) struct UDPRelayTests {
    let group = MultiThreadedEventLoopGroup.singleton

    /// A UDP echo server on a plain socket, on its own thread, until it has echoed `count` datagrams.
    private func echoServer(count: Int) throws -> (port: Int, done: DispatchSemaphore) {
        let (server, port) = try TestSocket.listen(udp: true)
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            for _ in 0..<count {
                guard let (datagram, from) = try? server.recvFrom() else { break }
                server.sendTo(datagram, from)
            }
            server.close()
            done.signal()
        }
        return (port, done)
    }

    @Test func severalClientsEachGetTheirOwnMappingAndTheirOwnEchoes() async throws {
        let clients = 3
        let perClient = 5
        let (serverPort, done) = try echoServer(count: clients * perClient)
        let proxy = try await RunningProxy.start(upstreamPort: serverPort, group: group) { $0.udp = true }
        let port = proxy.port
        let allEchoed = try await onThread { () -> Bool in
            let sockets = try (0..<clients).map { _ in try TestSocket.connect(port: port, udp: true) }
            defer { sockets.forEach { $0.close() } }
            var ok = true
            for round in 0..<perClient {
                for (index, socket) in sockets.enumerated() {
                    let datagram = Array("client \(index) datagram \(round) ".utf8) + Array(repeating: UInt8(index), count: round * 100)
                    try socket.send(datagram)
                    let echoed = try socket.recv()
                    ok = ok && echoed == datagram
                }
            }
            return ok
        }
        #expect(allEchoed)
        _ = done.wait(timeout: .now() + 5)
        let summary = try await proxy.finish()
        #expect(summary.accepted == clients)
        #expect(summary.datagrams == 2 * clients * perClient)
        #expect(proxy.calls.calls(.accept).count == clients)
        #expect(proxy.calls.calls(.connect).count == clients)
        #expect(proxy.calls.calls(.recv, leg: .downstream).count == clients * perClient)
        #expect(proxy.calls.calls(.send, leg: .downstream).count == clients * perClient)
        let first = proxy.calls.calls(.recv, leg: .downstream, connection: 1)
        var expectedOffset: UInt64 = 0
        var offsetsFollowTheAxis = true
        for call in first {
            offsetsFollowTheAxis = offsetsFollowTheAxis && call.offset == expectedOffset
            expectedOffset += UInt64(call.length!)
        }
        #expect(offsetsFollowTheAxis, "each datagram starts where the previous one ended")
        #expect(first.allSatisfy { $0.transport == .udp })
    }

    @Test func recvSizeReportsTruncationButRelaysIntactUnlessTruncating() async throws {
        for truncate in [false, true] {
            let (serverPort, done) = try echoServer(count: 1)
            let proxy = try await RunningProxy.start(upstreamPort: serverPort, group: group) {
                $0.udp = true
                $0.recvSize = 10
                $0.udpTruncate = truncate
            }
            let port = proxy.port
            let datagram = Array("0123456789abcdefghij!".utf8)  // 21 bytes
            let echoed = try await onThread { () -> [UInt8] in
                let socket = try TestSocket.connect(port: port, udp: true)
                defer { socket.close() }
                try socket.send(datagram)
                return try socket.recv()
            }
            _ = done.wait(timeout: .now() + 5)
            let summary = try await proxy.finish()
            #expect(echoed == (truncate ? Array(datagram.prefix(10)) : datagram))
            let recv = proxy.calls.calls(.recv, leg: .downstream).first
            #expect(recv?.length == 21)
            #expect(recv?.bufferSize == 10)
            #expect(recv?.truncatedBytes == 11)
            #expect(summary.truncatedDatagrams == 1)
        }
    }

    @Test func idleMappingsExpireAndCountAsClosed() async throws {
        let (serverPort, done) = try echoServer(count: 1)
        let proxy = try await RunningProxy.start(upstreamPort: serverPort, group: group) {
            $0.udp = true
            $0.udpTimeoutSeconds = 0.2
        }
        let port = proxy.port
        _ = try await onThread { () -> [UInt8] in
            let socket = try TestSocket.connect(port: port, udp: true)
            defer { socket.close() }
            try socket.send(Array("ping".utf8))
            return try socket.recv()
        }
        _ = done.wait(timeout: .now() + 5)
        #expect(await eventually(3) { proxy.server.statistics.closedConnections == 1 })
        _ = try await proxy.finish()
        #expect(proxy.calls.calls(.close, leg: .upstream).count == 1)
    }
}
