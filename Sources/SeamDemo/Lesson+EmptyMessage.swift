import SeamCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Lesson {
    static let emptyMessage = Lesson(
        name: "empty-message",
        title: "Empty messages: b'' over UDP and over TCP",
        summary: "UDP sendto(b'') delivers an empty datagram; TCP send(b'') sends nothing; recv → b'' means closed",
        variants: [emptyMessageCorrect]
    )

    private static let emptyMessageCorrect = LessonVariant(
        .correct,
        name: "correct",
        summary: "the TCP server leaves its loop when recv returns b''",
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
