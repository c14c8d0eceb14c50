import SeamCore

extension Lesson {
    static let jsonHeader = Lesson(
        name: "json-header",
        title: "The seed's final version: header length, JSON header, body",
        summary: "struct.pack('i', len(header)), a JSON header (file_name, total_size, md5), then a 3000-byte body",
        bug: jsonHeaderBug,
        fix: jsonHeaderFix
    )

    /// The file the server sends, 3000 bytes of the canned listing.
    private static let jsonHeaderBody = Array(CannedCommand.listing.prefix(3_000))

    /// The server of both variants: it reads each framed JSON request and answers as the seed does, in three
    /// sends: the 4-byte header length, the JSON header, the body.
    private static func jsonHeaderServer(_ context: LessonContext, clientResets: Bool) throws -> Endpoint {
        try context.serveOneClient(clientResets: clientResets) { connection in
            while true {
                let first = try connection.recv(4, resetIsEnd: true)
                if first.isEmpty { break }
                let length = StructHeader.value(
                    first + (first.count < 4 ? try connection.recvExactly(4 - first.count) : [])
                )
                _ = try connection.recvExactly(length)
                let body = jsonHeaderBody
                let header = bytes(
                    "{\"file_name\": \"report.txt\", \"total_size\": \(body.count), \"md5\": \"\(JSONHeaderText.md5Like(body))\"}"
                )
                try connection.send(StructHeader.lengthBytes(header.count))
                try connection.send(header)
                try connection.sendAll(body)
                context.say(
                    "server: answered in 3 sends: 4-byte length, \(header.count)-byte JSON header, \(body.count) bytes"
                )
            }
        }
    }

    /// The client's request: a framed JSON header asking for `report.txt`.
    private static let jsonHeaderRequest: [UInt8] = StructHeader.framed(
        bytes("{\"cmd\": \"get\", \"file_name\": \"report.txt\", \"total_size\": 0}")
    )

    private static let jsonHeaderBug = LessonVariant(
        .bug,
        summary: "the client reads the body with ONE recv(total_size)",
        happens: """
            The client asks for report.txt twice. The proxy plays a slow link towards the client: 1 KB at a \
            time, 20 ms apart. The client reads 4 bytes, the JSON header, then the body with one \
            recv(total_size).
            """,
        explanation: """
            recv(3000) returned the part of the body that had arrived; the client took it for the file and \
            asked for the next one (acted-on-partial, in the client). Its next recv(4), meant for the next \
            header's length, read body bytes instead — an absurd length — so it gave up and closed with the \
            rest unread, and its kernel reset the connection (stopped-reading). Fix: a loop until total_size \
            bytes are in, as for the header.
            """,
        framing: "jsonhdr",
        proxies: [.slowLinkToClient()],
        verdicts: [.actedOnPartial, .stoppedReading]
    ) { context in
        let proxy = try jsonHeaderServer(context, clientResets: true)
        let client = try DemoSocket.connect(session: context.session, to: proxy)
        client.setReceiveTimeout(3)
        for _ in 0..<2 {
            try client.sendAll(jsonHeaderRequest)
            let length = StructHeader.value(try client.recvExactly(4))
            guard length <= 65_536 else {
                context.say("client: the next 'header length' is \(length): the stream is out of step; it closes")
                break
            }
            let json = try client.recvExactly(length)
            let total = JSONHeaderText.totalSize(json)
            let body = try client.recv(total)  // the bug: one read for the whole body
            context.say(
                "client: JSON header of \(length) bytes, total_size \(total), recv(\(total)) → \(body.count) bytes"
            )
        }
        client.close()
    }

    private static let jsonHeaderFix = LessonVariant(
        .fix,
        summary: "a loop until total_size bytes of body are in",
        happens: """
            The same server and slow link; the client reads 4 bytes, then the JSON header, then loops on \
            recv until it has total_size bytes of body.
            """,
        explanation: """
            Each answer came in three send calls and in 1 KB pieces — both observations, both harmless: the \
            header says how long the JSON is, the JSON says how long the body is, and the reader waited for \
            each. To save segments, the server could build the three parts into one buffer and sendall it.
            """,
        framing: "jsonhdr",
        proxies: [.slowLinkToClient()],
        observations: [ExpectedFinding(.split, at: .send, cause: .splitWrite)]
    ) { context in
        let proxy = try jsonHeaderServer(context, clientResets: false)
        let client = try DemoSocket.connect(session: context.session, to: proxy)
        client.setReceiveTimeout(3)
        for _ in 0..<2 {
            try client.sendAll(jsonHeaderRequest)
            let length = StructHeader.value(try client.recvExactly(4))
            let json = try client.recvExactly(length)
            let total = JSONHeaderText.totalSize(json)
            let body = try client.recvExactly(total)
            context.say(
                "client: JSON header of \(length) bytes, total_size \(total), a recv loop → \(body.count) bytes"
            )
        }
        client.close()
    }
}
