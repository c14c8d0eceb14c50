import Dispatch
import NIOCore
import NIOPosix
import SeamCore
import Testing

@testable import SeamProxy

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `seam proxy --rechunk`: the proxy cuts or joins writes on purpose, and says so in the calls it records.
@Suite(.serialized) struct RechunkTests {
    let group = MultiThreadedEventLoopGroup.singleton

    /// A server that accepts one client and returns the size of every read it made, until the client's FIN.
    private func readSizesServer() throws -> (port: Int, reads: @Sendable () throws -> [[UInt8]]) {
        let (listener, port) = try TestSocket.listen()
        let result = DispatchQueue(label: "reads")
        nonisolated(unsafe) var reads: [[UInt8]] = []
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            defer {
                listener.close()
                done.signal()
            }
            guard let peer = try? listener.accept() else { return }
            defer { peer.close() }
            while let chunk = try? peer.recv(), !chunk.isEmpty { result.sync { reads.append(chunk) } }
        }
        return (
            port,
            {
                guard done.wait(timeout: .now() + 10) == .success else {
                    throw SocketFailure(what: "server", errno: ETIMEDOUT)
                }
                return result.sync { reads }
            }
        )
    }

    @Test func splitSevenMeansNoReadOfTheServerIsLongerThanSevenAndEveryByteArrivesInOrder() async throws {
        let (serverPort, reads) = try readSizesServer()
        let proxy = try await RunningProxy.start(upstreamPort: serverPort, group: group) {
            $0.rechunk = [try! RechunkRule(parsing: "c2s=split:7")]
            $0.rechunkDelayMilliseconds = 40  // the server reads each piece before the next
        }
        let port = proxy.port
        let message = (0..<60).map { UInt8(ascii: "a") + UInt8($0 % 26) }
        try await onThread {
            let client = try TestSocket.connect(port: port)
            defer { client.close() }
            try client.send(message)
            client.shutdownWrite()
            _ = try client.readToEnd()
        }
        let got = try await onThread { try reads() }
        #expect(got.allSatisfy { $0.count <= 7 }, "read sizes \(got.map(\.count))")
        #expect(got.flatMap { $0 } == message)
        _ = try await proxy.finish()
        let sends = proxy.calls.calls(.send, leg: .upstream)
        #expect(sends.count == 9)
        #expect(sends.allSatisfy { $0.rechunk == .split && $0.length! <= 7 })
        #expect(proxy.calls.calls(.send, leg: .downstream).allSatisfy { $0.rechunk == nil }, "s2c is left alone")
    }

    @Test func coalesceJoinsTenWritesFiveMillisecondsApartIntoFewerReads() async throws {
        let (serverPort, reads) = try readSizesServer()
        let proxy = try await RunningProxy.start(upstreamPort: serverPort, group: group) {
            $0.rechunk = [try! RechunkRule(parsing: "coalesce:100")]
        }
        let port = proxy.port
        try await onThread {
            let client = try TestSocket.connect(port: port)
            defer { client.close() }
            for index in 0..<10 {
                try client.send(Array("write \(index);".utf8))
                usleep(5_000)
            }
            usleep(150_000)
            client.shutdownWrite()
            _ = try client.readToEnd()
        }
        let got = try await onThread { try reads() }
        #expect(got.count < 10, "read sizes \(got.map(\.count))")
        #expect(String(decoding: got.flatMap { $0 }, as: UTF8.self) == (0..<10).map { "write \($0);" }.joined())
        _ = try await proxy.finish()
        let sends = proxy.calls.calls(.send, leg: .upstream)
        #expect(sends.count < 10)
        #expect(sends.contains { $0.rechunk == .coalesce })
    }

    @Test func udpSplitSendsShortDatagrams() async throws {
        let (server, serverPort) = try TestSocket.listen(udp: true)
        defer { server.close() }
        let proxy = try await RunningProxy.start(upstreamPort: serverPort, group: group) {
            $0.udp = true
            $0.rechunk = [try! RechunkRule(parsing: "c2s=split:7")]
        }
        let port = proxy.port
        let datagrams = try await onThread { () -> [[UInt8]] in
            let client = try TestSocket.connect(port: port, udp: true)
            defer { client.close() }
            try client.send(Array("twenty bytes, please".utf8))
            return try (0..<3).map { _ in try server.recvFrom().0 }
        }
        #expect(datagrams.map(\.count) == [7, 7, 6])
        #expect(datagrams.flatMap { $0 } == Array("twenty bytes, please".utf8))
        _ = try await proxy.finish()
        #expect(proxy.calls.calls(.send, leg: .upstream).allSatisfy { $0.rechunk == .split })
    }

    @Test func rulesParseAndRandomCutsFollowTheSeed() throws {
        #expect(
            try RechunkRule(parsing: "c2s=split:7") == RechunkRule(direction: .clientToServer, kind: .split(size: 7))
        )
        #expect(try RechunkRule(parsing: "random:1-16").kind == .random(minimum: 1, maximum: 16))
        #expect(try RechunkRule(parsing: "s2c=coalesce:100").description == "s2c=coalesce:100")
        for bad in ["split", "split:0", "x=split:3", "random:9-2", "slice:3"] {
            #expect(throws: RechunkRuleError.self) { try RechunkRule(parsing: bad) }
        }
        var first = PieceSizer(kind: .random(minimum: 1, maximum: 5), seed: 42)
        var second = PieceSizer(kind: .random(minimum: 1, maximum: 5), seed: 42)
        let cuts = (0..<20).map { _ in first.pieces(of: 37) }
        #expect(cuts == (0..<20).map { _ in second.pieces(of: 37) })
        #expect(cuts.allSatisfy { $0.reduce(0, +) == 37 && $0.dropLast().allSatisfy { (1...5).contains($0) } })
    }
}
