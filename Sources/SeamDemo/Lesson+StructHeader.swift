import SeamCore

extension Lesson {
    static let structHeader = Lesson(
        name: "struct-header",
        title: "A 4-byte length header (struct.pack('i', n)) — and a body read with one recv",
        summary: "three framed messages, the last 3000 bytes, over a slow link that passes 1 KB at a time",
        bug: structHeaderBug,
        fix: structHeaderFix
    )

    /// The messages the client sends, each as struct.pack('i', len(body)) + body in one sendall.
    private static let structHeaderBodies = [
        bytes("hello"), bytes("feng"), Array(repeating: bytes("seam "), count: 600).flatMap { $0 },
    ]

    /// The client of both variants: it sends each message and waits for its answer.
    private static func structHeaderClient(_ context: LessonContext, to proxy: Endpoint) throws {
        let client = try DemoSocket.connect(session: context.session, to: proxy)
        client.setReceiveTimeout(3)
        for body in structHeaderBodies {
            try client.sendFramed(body)
            let answer = try client.recvFramed() ?? []
            context.say(
                "client: sent struct.pack('i', \(body.count)) + \(body.count) bytes, the answer: \(shown(answer))"
            )
        }
        client.close()
    }

    private static let structHeaderBug = LessonVariant(
        .bug,
        summary: "the server reads the body with ONE recv(n): 1020 of 3000 bytes",
        happens: """
            The client sends three messages with their 4-byte headers; the third is 3000 bytes. The proxy plays \
            a slow link: it passes the client's bytes on 1 KB at a time, 20 ms apart. The server reads the \
            header with recv(4), then the body with one recv(n), and answers each message.
            """,
        explanation: """
            recv(3000) returned only the 1020 bytes that had arrived — recv(n) returns AT MOST n bytes — and \
            the server took them for the message and answered (acted-on-partial, in the server). Its next \
            recv(4) then read four bytes from the middle of the body as a header: 'seam' is 1835099507 as \
            struct.unpack('i'), an absurd length, so it gave up and closed with the rest unread, and its kernel \
            reset the connection (stopped-reading). The header was right; the body read was not. Fix: \
            recv_exactly(n), a loop until n bytes are in.
            """,
        framing: "struct:i",
        proxies: [.slowLinkToServer()],
        verdicts: [.actedOnPartial, .stoppedReading]
    ) { context in
        let proxy = try context.serveOneClient { connection in
            var count = 0
            while true {
                let header = try connection.recv(4, resetIsEnd: true)
                if header.count < 4 { break }
                let size = StructHeader.value(header)
                guard size <= 65_536 else {
                    context.say("server: the next 'header' says \(size) bytes: the stream is out of step; it closes")
                    break
                }
                let body = try connection.recv(size)  // the bug: one read for the whole body
                count += 1
                try connection.sendFramed(bytes("ok \(count): \(body.count) bytes"))
                context.say("server: header says \(size), recv(\(size)) → \(body.count) bytes, answered 'ok \(count)'")
            }
        }
        try structHeaderClient(context, to: proxy)
    }

    private static let structHeaderFix = LessonVariant(
        .fix,
        summary: "recv_exactly(n): a loop until the whole body is in",
        happens: """
            The same client and the same slow link; the server reads the 4-byte header, then loops on recv \
            until it has the n bytes the header announced.
            """,
        explanation: """
            The 3000-byte body still came in 1 KB pieces (an observation), and the server's loop waited for \
            all of it: every message was answered whole, and the header after it was a real header. This is \
            the fix for sticky packets: 4 bytes little-endian on x86 ('i'); use '!I' (network order) between \
            different machines.
            """,
        framing: "struct:i",
        proxies: [.slowLinkToServer()]
    ) { context in
        let proxy = try context.serveOneClient { connection in
            var count = 0
            while let body = try connection.recvFramed() {
                count += 1
                try connection.sendFramed(bytes("ok \(count): \(body.count) bytes"))
                context.say("server: header, then recv in a loop → all \(body.count) bytes, answered 'ok \(count)'")
            }
        }
        try structHeaderClient(context, to: proxy)
    }
}
