import SeamCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Lesson {
    static let receiverBacklog = Lesson(
        name: "receiver-backlog",
        title: "Sticky packets, receiver side: a slow reader takes two messages in one read",
        summary: "'hello' and 'feng' leave 50 ms apart in two segments; the server reads 400 ms later",
        bug: receiverBacklogBug,
        fix: receiverBacklogFix
    )

    private static let receiverBacklogBug = LessonVariant(
        .bug,
        summary: "the busy server's one recv(1024) returns both requests; one answer",
        happens: """
            The client sets TCP_NODELAY and sends 'hello', then 50 ms later 'feng': two segments. The server \
            is busy for 400 ms before each recv(1024), and answers each read with the bytes upper-cased.
            """,
        explanation: """
            This time the sender kept the boundary — two segments, 50 ms apart — and both waited in the \
            server's receive buffer until its late read, which returned everything there was: 'hellofeng' \
            (receiver backlog, an observation). The server's code answered that read once, so 'feng' got no \
            answer (unanswered, in the server). A faster server only makes it rarer. Fix: frame the messages \
            and let the reader cut them out of what it read, however much each recv returns.
            """,
        pairsRequests: true,
        verdicts: [.unanswered],
        observations: [ExpectedFinding(.coalesced, at: .recv, cause: .receiverBacklog)]
    ) { context in
        let proxy = try context.serveOneClient { connection in
            while true {
                usleep(400_000)  // busy with something else
                let request = try connection.recv(1024)
                if request.isEmpty { break }
                try connection.send(request.uppercased)
                context.say("server: 400 ms later, recv(1024) → \(shown(request)), one request to it: answered once")
            }
        }
        let client = try DemoSocket.connect(session: context.session, to: proxy, noDelay: true)
        client.setReceiveTimeout(3)
        try client.send(bytes("hello"))
        usleep(50_000)
        try client.send(bytes("feng"))
        context.say("client: TCP_NODELAY, send 'hello', 50 ms, send 'feng'")
        let answer = try client.recv(1024)
        context.say("client: recv(1024) → \(shown(answer)), taken as the answer to 'hello'")
        if client.waitReadable(timeout: 0.6) {
            context.say("client: then \(shown(try client.recv(1024)))")
        } else {
            context.say("client: no answer to 'feng' after 0.6 s; it gives up and closes")
        }
        client.close()
    }

    private static let receiverBacklogFix = LessonVariant(
        .fix,
        summary: "length headers; the server cuts whole messages out of what it read",
        happens: """
            The client sends struct.pack('i', 5) + 'hello', then 50 ms later struct.pack('i', 4) + 'feng'. The \
            server, still busy for 400 ms, reads recv(1024) into a buffer and answers every whole message it \
            can cut off the front of that buffer by its header.
            """,
        explanation: """
            One read again returned both messages (receiver backlog: an observation, not a bug), and the \
            server answered both, because it cut the buffer by the headers. Whether the bytes come in one read \
            or ten, the messages come out the same.
            """,
        framing: "struct:i",
        pairsRequests: true,
        observations: [ExpectedFinding(.coalesced, at: .recv, cause: .receiverBacklog)]
    ) { context in
        let proxy = try context.serveOneClient { connection in
            var buffer: [UInt8] = []
            while true {
                usleep(400_000)  // busy with something else
                let data = try connection.recv(1024)
                if data.isEmpty { break }
                buffer += data
                var cut: [String] = []
                while let request = StructHeader.cut(&buffer) {
                    try connection.sendFramed(request.uppercased)
                    cut.append(shown(request))
                }
                context.say(
                    "server: recv(1024) → \(data.count) bytes; whole messages in it: \(cut.joined(separator: ", "))"
                )
            }
        }
        let client = try DemoSocket.connect(session: context.session, to: proxy, noDelay: true)
        client.setReceiveTimeout(3)
        try client.sendFramed(bytes("hello"))
        usleep(50_000)
        try client.sendFramed(bytes("feng"))
        context.say("client: TCP_NODELAY, send struct.pack('i', 5) + 'hello', 50 ms, send struct.pack('i', 4) + 'feng'")
        for request in ["hello", "feng"] {
            let answer = try client.recvFramed() ?? []
            context.say("client: the answer to '\(request)': \(shown(answer))")
        }
        client.close()
    }
}
