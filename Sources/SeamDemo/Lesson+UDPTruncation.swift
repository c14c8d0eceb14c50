import SeamCore

extension Lesson {
    static let udpTruncation = Lesson(
        name: "udp-truncation",
        title: "recvfrom(1024) of a 2000-byte datagram loses the tail",
        summary: "the client sends one 2000-byte datagram; the server answers with how many bytes it got",
        bug: udpTruncationBug,
        fix: udpTruncationFix
    )

    /// The client of both variants: one 2000-byte datagram, then the server's answer.
    private static func udpTruncationClient(_ context: LessonContext, to proxy: Endpoint) throws {
        let client = try DemoSocket.udp(session: context.session, role: .client)
        client.setReceiveTimeout(3)
        try client.sendTo((0..<2_000).map { UInt8(0x30 + $0 % 10) }, proxy)
        let (answer, _) = try client.recvFrom(1024)
        context.say("client: sendto 2000 bytes, the server answered \(shown(answer))")
        client.close()
    }

    private static let udpTruncationBug = LessonVariant(
        .bug,
        summary: "recvfrom(1024) keeps 1024 bytes; the kernel drops the other 976",
        happens: """
            The client sends one 2000-byte datagram through the proxy (which relays whole datagrams). The \
            server reads it with recvfrom(1024) and answers with the number of bytes it got.
            """,
        explanation: """
            A datagram is delivered whole or not at all, but recvfrom(N) copies at most N bytes and the kernel \
            DISCARDS the rest: the server got 1024 of the 2000 bytes (truncated, in the server). Unlike TCP, \
            the tail does not wait for the next read — it is gone. Fix: read with a buffer as large as the \
            largest datagram (65507 bytes for UDP over IPv4), or check MSG_TRUNC.
            """,
        proxies: [ProxySetup(udp: true)],
        verdicts: [.truncated]
    ) { context in
        let server = try DemoSocket.udp(session: context.session, role: .server)
        server.setReceiveTimeout(3)
        let proxy = try context.startProxy(to: server.localEndpoint)
        context.spawn("server") {
            let (data, from) = try server.recvFrom(1024)
            context.say("server: recvfrom(1024) → \(data.count) bytes")
            try server.sendTo(bytes("got \(data.count) bytes"), from)
        }
        try udpTruncationClient(context, to: proxy)
        context.finishSpawned()
        server.close()
    }

    private static let udpTruncationFix = LessonVariant(
        .fix,
        summary: "recvfrom(65507): a buffer as large as the largest datagram",
        happens: """
            The same client; the server reads with recvfrom(65507), the largest UDP payload over IPv4.
            """,
        explanation: """
            The whole datagram fitted in the buffer: 2000 bytes in, 2000 bytes read, one datagram per call. \
            A large buffer costs nothing here; a small one silently loses data.
            """,
        proxies: [ProxySetup(udp: true)]
    ) { context in
        let server = try DemoSocket.udp(session: context.session, role: .server)
        server.setReceiveTimeout(3)
        let proxy = try context.startProxy(to: server.localEndpoint)
        context.spawn("server") {
            let (data, from) = try server.recvFrom(65_507)
            context.say("server: recvfrom(65507) → \(data.count) bytes")
            try server.sendTo(bytes("got \(data.count) bytes"), from)
        }
        try udpTruncationClient(context, to: proxy)
        context.finishSpawned()
        server.close()
    }
}
