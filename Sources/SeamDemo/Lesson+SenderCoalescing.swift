import SeamCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Lesson {
    /// The headline: `make demo` plays it.
    static let senderCoalescing = Lesson(
        name: "sender-coalescing",
        title: "Sticky packets, sender side: two quick sends leave as one segment",
        summary: "the client sends 'hello' and 'feng' at once; the kernel puts both into one segment",
        bug: senderCoalescingBug,
        fix: senderCoalescingFix
    )

    private static let senderCoalescingBug = LessonVariant(
        .bug,
        summary: "the server answers each recv(1024) as one request: once for two",
        happens: """
            The client sends two requests, 'hello' (with MSG_MORE: more is coming) and 'feng', and waits for \
            two answers. The server answers every recv(1024) with the bytes upper-cased, as if each read were \
            one request.
            """,
        explanation: """
            The client's kernel put both small sends into one TCP segment (Nagle's algorithm, cork or MSG_MORE \
            do that, and TCP may always do it), so the server's one recv(1024) returned 'hellofeng'. The \
            server's code took that read for one request and answered once: the client's second request got \
            no answer (unanswered, in the server). The segment is not the bug — it is an observation; the bug \
            is taking one recv for one message. Fix: give every message its length (a 4-byte \
            struct.pack('i', n) header) and read exactly that much, whatever each recv returns.
            """,
        pairsRequests: true,
        verdicts: [.unanswered],
        observations: [ExpectedFinding(.coalesced, at: .segment, cause: .senderCoalescing)]
    ) { context in
        let proxy = try context.serveOneClient { connection in
            while true {
                let request = try connection.recv(1024)
                if request.isEmpty { break }
                try connection.send(request.uppercased)
                context.say("server: recv(1024) → \(shown(request)), one request to it: answered once")
            }
        }
        let client = try DemoSocket.connect(session: context.session, to: proxy)
        client.setReceiveTimeout(3)
        try client.send(bytes("hello"), flags: Int32(MSG_MORE))
        try client.send(bytes("feng"))
        context.say("client: send 'hello' (MSG_MORE), send 'feng'")
        let answer = try client.recv(1024)
        context.say("client: recv(1024) → \(shown(answer)), taken as the answer to 'hello'")
        if client.waitReadable(timeout: 0.5) {
            context.say("client: then \(shown(try client.recv(1024)))")
        } else {
            context.say("client: no answer to 'feng' after 0.5 s; it gives up and closes")
        }
        client.close()
    }

    private static let senderCoalescingFix = LessonVariant(
        .fix,
        summary: "4-byte length headers; the server reads exactly each message",
        happens: """
            The client sends struct.pack('i', 5) + 'hello' (MSG_MORE) and struct.pack('i', 4) + 'feng': one \
            segment again. The server reads the 4-byte header, then exactly that many bytes, and answers each \
            message framed the same way.
            """,
        explanation: """
            The same two requests in one segment, and two answers: the server cut the bytes by their headers, \
            not by its reads, so how the kernel joined them no longer matters. The report still notes the \
            coalesced segment — an observation of how TCP delivered the bytes — and gives no verdict. \
            TCP_NODELAY would only have changed the timing; the length header is what keeps the boundaries.
            """,
        framing: "struct:i",
        pairsRequests: true,
        observations: [ExpectedFinding(.coalesced, at: .segment, cause: .senderCoalescing)]
    ) { context in
        let proxy = try context.serveOneClient { connection in
            while let request = try connection.recvFramed() {
                try connection.sendFramed(request.uppercased)
                context.say("server: a 4-byte header, then exactly \(request.count) bytes: \(shown(request)), answered")
            }
        }
        let client = try DemoSocket.connect(session: context.session, to: proxy)
        client.setReceiveTimeout(3)
        try client.sendFramed(bytes("hello"), flags: Int32(MSG_MORE))
        try client.sendFramed(bytes("feng"))
        context.say("client: send struct.pack('i', 5) + 'hello' (MSG_MORE), send struct.pack('i', 4) + 'feng'")
        for request in ["hello", "feng"] {
            let answer = try client.recvFramed() ?? []
            context.say("client: the answer to '\(request)': \(shown(answer))")
        }
        client.close()
    }
}
