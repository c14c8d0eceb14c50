#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Foundation
import NIOCore
import NIOPosix
import SeamCore
import Testing

@testable import SeamProxy

/// Runs many connections through an in-process proxy with random payload sizes (0 B – 4 MiB), random write
/// chunking on both peers, random read delays and every way a connection can end, and checks that every byte
/// arrived in order, that the recorded calls account for every byte, that every ending reached the other peer
/// (no read or write waits for its timeout), and that no file descriptor leaks.
///
/// `SEAM_FAULT_CONNECTIONS=10000 swift test --filter ProxyFaultMatrixTests` is the long run (payloads up to
/// 4 MiB); the default (64 connections, payloads up to 256 KiB) keeps the test to seconds.
@Suite("Proxy fault matrix", .serialized)
struct ProxyFaultMatrixTests {
    static let longRun = ProcessInfo.processInfo.environment["SEAM_FAULT_CONNECTIONS"].flatMap(Int.init)
    static let connections = longRun ?? 64
    /// Payloads up to 4 MiB in the long run; up to 256 KiB by default, so that the loopback traffic does not
    /// make the live-capture tests running beside this suite drop packets.
    static let largestSizeBits = longRun == nil ? 18 : 22

    @Test("every ending, every chunking: no byte lost or reordered, calls account for all, no fd leaked")
    func faultMatrix() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let (listener, upstreamPort) = try TestSocket.listen()
        let (refusedSocket, refusedPort) = try TestSocket.listen()
        // libdispatch opens a timerfd at the first timer of the process (Task.sleep): do that before counting.
        try await Task.sleep(for: .milliseconds(10))
        let descriptorsBefore = FaultPeer.openDescriptors()
        let targetsBefore = FaultPeer.descriptorTargets()

        let proxy = try await RunningProxy.start(upstreamPort: upstreamPort, group: group)
        // The proxy checks its upstream at start, so this one's upstream goes away only after.
        let refused = try await RunningProxy.start(upstreamPort: refusedPort, group: group)
        refusedSocket.close()
        let seed = UInt64(ProcessInfo.processInfo.environment["SEAM_FAULT_SEED"] ?? "") ?? 0xFA17
        var generator = SeededGenerator(state: seed)
        var results: [FaultScenario.Result] = []
        let started = Date()
        for index in 0..<Self.connections {
            let ending = FaultScenario.Ending.allCases[index % FaultScenario.Ending.allCases.count]
            let scenario = FaultScenario(ending: ending, largestSizeBits: Self.largestSizeBits, generator: &generator)
            let port = ending == .upstreamRefused ? refused.port : proxy.port
            let result = try await onThread { try scenario.run(proxyPort: port, listener: listener) }
            results.append(result)
            for problem in result.problems { Issue.record("connection \(index) \(ending): \(problem)") }
            if results.flatMap(\.problems).count > 10 { break }
        }
        try await Task.sleep(for: .milliseconds(300))
        _ = try await proxy.finish()
        // Every connect of the refused proxy failed, which its run reports as an error.
        await #expect(throws: ProxyError.self) { _ = try await refused.finish() }
        let calls = proxy.calls.calls
        listener.close()
        // Other suites run beside this one and open descriptors of their own: allow them 3 s to settle.
        var descriptorsAfter = FaultPeer.openDescriptors()
        for _ in 0..<30 where descriptorsAfter > descriptorsBefore - 2 {
            try await Task.sleep(for: .milliseconds(100))
            descriptorsAfter = FaultPeer.openDescriptors()
        }
        try await group.shutdownGracefully()

        // The calls account for every byte, per connection. Connections ran one after another, so the proxy's
        // accepts in connection order are the results in order (client ports repeat over thousands of runs).
        let accepts = calls.filter { $0.kind == .accept }.sorted { $0.connection < $1.connection }
        let relayed = results.filter { $0.ending != .upstreamRefused }
        #expect(accepts.count == relayed.count, "one accept call per relayed connection")
        var byConnection: [Int: [SessionCall]] = [:]
        for call in calls { byConnection[call.connection, default: []].append(call) }
        func total(_ kind: SessionCall.Kind, _ leg: Leg, _ direction: Direction, _ connection: Int) -> Int {
            (byConnection[connection] ?? []).lazy.filter {
                $0.kind == kind && $0.leg == leg && $0.direction == direction
            }.reduce(0) { $0 + ($1.length ?? 0) }
        }
        var accounted = 0
        for (accept, result) in zip(accepts, relayed) {
            #expect(accept.source?.port == result.clientPort, "accept order matches connection order")
            let connection = accept.connection
            let c2sIn = total(.recv, .downstream, .clientToServer, connection)
            let c2sOut = total(.send, .upstream, .clientToServer, connection)
            let s2cIn = total(.recv, .upstream, .serverToClient, connection)
            let s2cOut = total(.send, .downstream, .serverToClient, connection)
            if result.ending.deliversEverything {
                #expect(c2sIn == result.clientSent && c2sOut == result.clientSent, "\(result.ending) c2s calls")
                #expect(s2cIn == result.serverSent && s2cOut == result.serverSent, "\(result.ending) s2c calls")
            }
            // Whatever a peer received, the proxy recorded reading and writing.
            #expect(c2sOut >= result.serverReceived && c2sIn >= c2sOut, "\(result.ending): c2s calls vs bytes")
            #expect(s2cOut >= result.clientReceived && s2cIn >= s2cOut, "\(result.ending): s2c calls vs bytes")
            accounted += 1
        }
        let bytes = results.reduce(0) { $0 + $1.clientSent + $1.serverSent }
        print(
            "ProxyFaultMatrixTests: \(results.count) connections, \(bytes) bytes sent, \(accounted) accounted, "
                + "\(results.flatMap(\.problems).count) problems, fds \(descriptorsBefore) → \(descriptorsAfter), "
                + "\(Int(Date().timeIntervalSince(started))) s")
        #expect(results.count == Self.connections)
        #expect(
            descriptorsAfter <= descriptorsBefore - 2,
            "file descriptors leaked: before \(targetsBefore), after \(FaultPeer.descriptorTargets())")
    }
}
