import SeamCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Lesson {
    static let udpEcho = Lesson(
        name: "udp-echo",
        title: "UDP echo with two clients: datagram boundaries are kept",
        summary: "two UDP clients, one server that upper-cases each datagram: every boundary kept",
        happens: """
            Two clients each send three datagrams of different sizes with sendto(); the server answers each \
            recvfrom(1024) with the upper-cased datagram, to the address it came from.
            """,
        explanation: """
            Every sendto() arrived as exactly one recvfrom(): UDP keeps message boundaries, one datagram per \
            call, so there is no sticky packet to find. What UDP does not give: delivery, order, or room for \
            a datagram larger than the reader's buffer (see udp-truncation). No listen/accept either: one \
            socket serves every client, told apart by recvfrom's address.
            """,
        proxies: [ProxySetup(udp: true)],
        exactFindingCount: 0
    ) { context in
        let server = try DemoSocket.udp(session: context.session, role: .server)
        server.setReceiveTimeout(3)
        let proxy = try context.startProxy(to: server.localEndpoint)
        context.spawn("server") {
            for _ in 0..<6 {
                let (data, from) = try server.recvFrom(1024)
                try server.sendTo(data.uppercased, from)
                context.say("server: recvfrom(1024) → \(shown(data)) from \(from.port), echoed")
            }
        }
        let clients = try (0..<2).map { _ in try DemoSocket.udp(session: context.session, role: .client) }
        for (number, client) in clients.enumerated() {
            client.setReceiveTimeout(3)
            for word in ["hi", "hello", "a longer datagram \(number + 1)"] {
                try client.sendTo(bytes(word), proxy)
                let (answer, _) = try client.recvFrom(1024)
                context.say("client \(number + 1): sendto \(shown(bytes(word))), recvfrom(1024) → \(shown(answer))")
            }
        }
        context.finishSpawned()
        server.close()
    }

    static let udpTruncation = Lesson(
        name: "udp-truncation",
        title: "recvfrom(1024) of a 2000-byte datagram loses the tail",
        summary: "a 2000-byte datagram, recvfrom(1024): 976 bytes are gone, and the report counts them",
        happens: """
            The client sends one 2000-byte datagram. The proxy reads it as recvfrom(1024) would \
            (--recv-size 1024 --udp-truncate) and passes on only what such a read keeps; the server \
            receives 1024 bytes and says so.
            """,
        explanation: """
            A datagram is delivered whole or not at all, but recvfrom(N) copies at most N bytes and the \
            kernel DISCARDS the rest (truncated at the recv layer; cause recvfrom-size). Unlike TCP, the tail \
            does not wait for the next read: it is lost. Fix: read with a buffer at least as large as the \
            largest datagram (65507 bytes for IPv4 UDP), or keep datagrams small; MSG_TRUNC tells their \
            real size.
            """,
        proxies: [ProxySetup(udp: true, recvSize: 1_024, udpTruncate: true)],
        expected: [ExpectedFinding(.truncated, at: .recv, cause: .rechunk)]
    ) { context in
        let server = try DemoSocket.udp(session: context.session, role: .server)
        server.setReceiveTimeout(3)
        let proxy = try context.startProxy(to: server.localEndpoint)
        context.spawn("server") {
            let (data, from) = try server.recvFrom(4096)
            context.say("server: recvfrom(4096) → \(data.count) bytes")
            try server.sendTo(bytes("got \(data.count) bytes"), from)
        }
        let client = try DemoSocket.udp(session: context.session, role: .client)
        client.setReceiveTimeout(3)
        try client.sendTo((0..<2_000).map { UInt8(0x30 + $0 % 10) }, proxy)
        let (answer, _) = try client.recvFrom(1024)
        context.say("client: sendto 2000 bytes, the server answered \(shown(answer))")
        context.finishSpawned()
        server.close()
    }

    static let emptyMessage = Lesson(
        name: "empty-message",
        title: "Empty messages: b'' over UDP and over TCP",
        summary: "UDP sendto(b'') delivers an empty datagram; TCP send(b'') sends nothing; recv → b'' means closed",
        happens: """
            Over UDP the client sends b'' and then b'next': the server's recvfrom returns an empty datagram, \
            then the next one. Over TCP the client sends b'', then b'data', then closes: the server gets \
            b'data' and then b'' — which means the peer closed, so it leaves its loop (the seed's \
            `if len(msg) == 0: break`; without it the loop spins on b'' for ever).
            """,
        explanation: """
            An empty UDP datagram is a real message: it crosses the wire (8 bytes of UDP header, no payload) \
            and recvfrom returns it as b''. An empty TCP send moves no byte and leaves no trace on the wire: \
            a stream has no messages, so there is nothing to send. That is why recv returning b'' can mean \
            only one thing on TCP: the peer closed (FIN). Fix: on TCP, break the loop when recv returns b''; \
            on UDP, an empty datagram is data, not the end.
            """,
        proxies: [ProxySetup(udp: true), ProxySetup()]
    ) { context in
        let udpServer = try DemoSocket.udp(session: context.session, role: .server)
        udpServer.setReceiveTimeout(3)
        let udpProxy = try context.startProxy(to: udpServer.localEndpoint, index: 0)
        let listener = try DemoSocket.listener(session: context.session)
        let tcpProxy = try context.startProxy(to: listener.localEndpoint, index: 1)
        context.spawn("udp server") {
            for _ in 0..<2 {
                let (data, _) = try udpServer.recvFrom(1024)
                context.say("udp server: recvfrom(1024) → \(shown(data)) (\(data.count) bytes)")
            }
        }
        context.spawn("tcp server") {
            let connection = try listener.accept()
            connection.setReceiveTimeout(3)
            var reads = 0
            while true {
                let data = try connection.recv(1024)
                reads += 1
                if data.isEmpty {
                    context.say("tcp server: recv(1024) → b'': the client closed, leave the loop")
                    break
                }
                context.say("tcp server: recv(1024) → \(shown(data))")
                if reads > 10 { break }
            }
            connection.close()
        }
        let udpClient = try DemoSocket.udp(session: context.session, role: .client)
        try udpClient.sendTo([], udpProxy)
        usleep(30_000)
        try udpClient.sendTo(bytes("next"), udpProxy)
        context.say("udp client: sendto b'', sendto b'next'")
        let client = try DemoSocket.connect(session: context.session, to: tcpProxy)
        let sent = try client.send([])
        context.say("tcp client: send(b'') → \(sent): nothing to put on the wire")
        try client.send(bytes("data"))
        usleep(50_000)
        client.close()
        context.say("tcp client: send 'data', close")
        context.finishSpawned()
        udpClient.close()
        udpServer.close()
    }
}
