import SeamCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Lesson {
    static let smallRecv = Lesson(
        name: "small-recv",
        title: "recv(2) then recv(10): a read returns at most what it asks",
        summary: "the seed's recv(2) then recv(10) of 'hello' and 'feng': 'he', then 'llofeng'",
        bug: smallRecvBug,
        fix: smallRecvFix
    )

    private static let smallRecvBug = LessonVariant(
        .bug,
        summary: "the server answers 'he' as if it were the message",
        happens: """
            The client sends 'hello' and, 50 ms later, 'feng' (TCP_NODELAY), then half-closes and reads the \
            answers. The server waits, reads recv(2) and answers it, then recv(10) and answers that.
            """,
        explanation: """
            recv(2) returned 'he' — two bytes of 'hello' — and the server answered it as if it were the \
            message: it acted on part of a message (acted-on-partial, in the server), and its next read, \
            recv(10), returned the rest of 'hello' glued to 'feng'. Both reads did what recv does: return AT \
            MOST N bytes of what has arrived, knowing nothing of messages. Fix: a length header, then read in \
            a loop until the message is whole — even with reads as small as recv(2).
            """,
        verdicts: [.actedOnPartial],
        observations: [ExpectedFinding(.split, at: .recv, cause: .recvBuffer)]
    ) { context in
        let proxy = try context.serveOneClient { connection in
            usleep(250_000)
            let first = try connection.recv(2)
            try connection.send(bytes("got ") + first)
            context.say("server: recv(2) → \(shown(first)), answered 'got \(String(decoding: first, as: UTF8.self))'")
            while true {
                let data = try connection.recv(10)
                if data.isEmpty { break }
                try connection.send(bytes("got ") + data)
                context.say(
                    "server: recv(10) → \(shown(data)), answered 'got \(String(decoding: data, as: UTF8.self))'"
                )
            }
        }
        let client = try DemoSocket.connect(session: context.session, to: proxy, noDelay: true)
        client.setReceiveTimeout(3)
        try client.send(bytes("hello"))
        usleep(50_000)
        try client.send(bytes("feng"))
        client.shutdownWrite()
        context.say("client: send 'hello', 50 ms, send 'feng', shutdown(SHUT_WR)")
        let answers = try client.drain()
        context.say("client: the answers to 'hello' and 'feng': \(shown(answers, limit: 40))")
        client.close()
    }

    private static let smallRecvFix = LessonVariant(
        .fix,
        summary: "length headers; still recv(2), but in a loop until each is whole",
        happens: """
            The client sends struct.pack('i', 5) + 'hello' and, 50 ms later, struct.pack('i', 4) + 'feng'. The \
            server reads with recv(2) only — two bytes at a time — but loops until it has the 4-byte header, \
            then until it has the whole message, and only then answers.
            """,
        explanation: """
            Every message took several small reads (split at the recv layer: an observation), and the server \
            answered only whole messages, so nothing was acted on early. A small buffer is slow, not wrong; \
            the loop is what makes it correct.
            """,
        framing: "struct:i",
        observations: [ExpectedFinding(.split, at: .recv, cause: .recvBuffer)]
    ) { context in
        let proxy = try context.serveOneClient { connection in
            usleep(250_000)
            while let message = try connection.recvFramed(readSize: 2) {
                try connection.sendFramed(bytes("got ") + message)
                context.say("server: recv(2) in a loop → the whole message \(shown(message)), answered")
            }
        }
        let client = try DemoSocket.connect(session: context.session, to: proxy, noDelay: true)
        client.setReceiveTimeout(3)
        try client.sendFramed(bytes("hello"))
        usleep(50_000)
        try client.sendFramed(bytes("feng"))
        client.shutdownWrite()
        context.say(
            "client: send struct.pack('i', 5) + 'hello', 50 ms, struct.pack('i', 4) + 'feng', shutdown(SHUT_WR)"
        )
        var answers: [String] = []
        while let answer = try client.recvFramed() { answers.append(shown(answer)) }
        context.say("client: the answers: \(answers.joined(separator: ", "))")
        client.close()
    }
}
