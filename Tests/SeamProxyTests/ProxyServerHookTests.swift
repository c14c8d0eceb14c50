import NIOCore
import NIOPosix
import SeamCore
import Testing

@testable import SeamProxy

@Suite(.serialized) struct ProxyServerHookTests {
    let group = MultiThreadedEventLoopGroup.singleton

    @Test func beforeAcceptingRunsBeforeTheFirstAcceptAndOnFinishedAtTheEnd() async throws {
        let echo = try await EchoServer(group: group)
        let (probe, port) = try TestSocket.listen()
        probe.close()  // a free port, known before start() returns
        var configuration = ProxyConfiguration(listen: Endpoint("127.0.0.1:\(port)")!, upstream: Endpoint("127.0.0.1:\(echo.port)")!)
        configuration.quiet = true
        configuration.connections = 1
        let calls = CallCollector()
        let events = CallCollector()  // the hooks leave marker calls, in order with the proxy's own
        let hooks = ProxyServer.Hooks(
            beforeAccepting: {
                try await Task.sleep(nanoseconds: 400_000_000)
                events.record(SessionCall(kind: .connect, connection: 0, leg: .downstream, timestamp: .now()))
            },
            onFinished: { events.record(SessionCall(kind: .close, connection: 0, leg: .downstream, timestamp: .now())) })
        let server = ProxyServer(configuration: configuration, sink: calls, group: group, hooks: hooks)
        let started = Task { try await server.start() }
        // The listener is bound while the hook runs: this client waits in the kernel's backlog. On a loaded
        // machine start() may not have bound yet, so retry a refused connect for a few seconds.
        let reply = try await onThread { () -> [UInt8] in
            var attempt = 0
            var connected: TestSocket?
            while connected == nil {
                do {
                    connected = try TestSocket.connect(port: port)
                } catch where attempt < 100 {
                    attempt += 1
                    usleep(30_000)
                }
            }
            let client = connected!
            defer { client.close() }
            try client.send(Array("x".utf8))
            client.shutdownWrite()
            return try client.readToEnd()
        }
        #expect(reply == Array("x".utf8))
        _ = try await started.value
        let summary = try await server.run()
        #expect(summary.closed == 1)
        #expect(events.calls.map(\.kind) == [.connect, .close])
        #expect(calls.calls(.accept).first!.timestamp > events.calls[0].timestamp, "accepted after the hook")
        await echo.close()
    }

    @Test func idleTimeoutClosesAQuietConnection() async throws {
        let echo = try await EchoServer(group: group)
        let proxy = try await RunningProxy.start(upstreamPort: echo.port, group: group) { $0.idleTimeoutSeconds = 0.3 }
        let port = proxy.port
        let outcome = try await onThread { () -> (reply: [UInt8], end: [UInt8]) in
            let client = try TestSocket.connect(port: port)
            defer { client.close() }
            try client.send(Array("ping".utf8))
            let reply = try client.recv()
            return (reply, try client.recv())  // blocks until the proxy closes the idle connection
        }
        #expect(outcome.reply == Array("ping".utf8))
        #expect(outcome.end.isEmpty, "closed by the proxy, not timed out by the test")
        #expect(await eventually { proxy.server.statistics.closedConnections == 1 })
        _ = try await proxy.finish()
    }
}
