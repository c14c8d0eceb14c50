import SeamCore

extension Lesson {
    static let sendVersusSendAll = Lesson(
        name: "send-vs-sendall",
        title: "send() may take less than you gave it; sendall() loops",
        summary: "a 48 KB message from a non-blocking client with a 4 KB SO_SNDBUF, to a slow reader",
        bug: sendVersusSendAllBug,
        fix: sendVersusSendAllFix
    )

    /// The payload: one 48 KB message (framing fixed:49152).
    private static let sendPayload = (0..<49_152).map { UInt8(0x61 + $0 % 26) }

    /// The server of both variants: it reads until the client closes and says how much came.
    private static func sendServer(_ context: LessonContext) throws -> Endpoint {
        try context.serveOneClient { connection in
            var total = 0
            while true {
                let data = try connection.recv(65_536)
                if data.isEmpty { break }
                total += data.count
            }
            context.say("server: received \(total) of the \(sendPayload.count) bytes")
        }
    }

    private static let sendVersusSendAllBug = LessonVariant(
        .bug,
        summary: "one non-blocking send(): the rest of the message is never sent",
        happens: """
            The client shrinks SO_SNDBUF to 4 KB, makes its socket non-blocking, calls send() once with a \
            48 KB message and closes. The proxy reads slowly (100 ms per read), so the buffers fill.
            """,
        explanation: """
            send() returned less than asked: the kernel took only what fitted in the socket's send buffer, and \
            the client ignored the return value, so the rest of the message was never written (partial-send, \
            in the client). The server got a message cut short. Fix: sendall(), or a loop on send()'s return \
            value that waits (poll) until the socket is writable again.
            """,
        framing: "fixed:49152",
        proxies: [ProxySetup(recvDelayMilliseconds: 100)],
        verdicts: [.partialSend]
    ) { context in
        let proxy = try sendServer(context)
        let client = try DemoSocket.connect(session: context.session, to: proxy, sendBuffer: 4_096)
        client.setNonBlocking()
        let taken = try client.send(sendPayload)
        context.say("client: send(\(sendPayload.count) bytes) → \(taken); it does not look, and closes")
        client.close()
    }

    private static let sendVersusSendAllFix = LessonVariant(
        .fix,
        summary: "sendall(): waits until writable and sends the rest",
        happens: """
            The same client with sendall(): it calls send(), and for as long as send() took less than what was \
            left, waits until the socket is writable and sends the rest.
            """,
        explanation: """
            The first send() took only part of the message again, and sendall sent the rest in the calls that \
            followed, each asking for exactly what was left: the message went in pieces (partial-send at the \
            send layer: an observation of how the kernel took it) and arrived whole.
            """,
        framing: "fixed:49152",
        proxies: [ProxySetup(recvDelayMilliseconds: 100)],
        observations: [ExpectedFinding(.split, at: .send, cause: .partialSend)]
    ) { context in
        let proxy = try sendServer(context)
        let client = try DemoSocket.connect(session: context.session, to: proxy, sendBuffer: 4_096)
        client.setNonBlocking()
        let calls = try client.sendAll(sendPayload)
        context.say("client: sendall(\(sendPayload.count) bytes) took \(calls) send calls")
        client.close()
    }
}
