import SeamCore

extension Lesson {
    static let udpEcho = Lesson(
        name: "udp-echo",
        title: "UDP echo with two clients: datagram boundaries are kept",
        summary: "two UDP clients, one server that upper-cases each datagram: every boundary kept",
        variants: [udpEchoCorrect]
    )

    private static let udpEchoCorrect = LessonVariant(
        .correct,
        name: "correct",
        summary: "every sendto() arrives as one recvfrom()",
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
        exactObservationCount: 0
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
}
