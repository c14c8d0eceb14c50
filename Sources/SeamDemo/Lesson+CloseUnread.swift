import SeamCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Lesson {
    static let closeUnread = Lesson(
        name: "close-unread",
        title: "A server that closes with unread data: the kernel resets the connection",
        summary: "the client uploads 64 KB behind a struct.pack('i', n) header",
        variants: [closeUnreadBug, closeUnreadProxyOnly, closeUnreadFix]
    )

    /// The upload: 64 KB behind its 4-byte header.
    private static let upload = (0..<65_536).map { UInt8(0x41 + $0 % 26) }

    /// The client of every variant: it uploads, then reads the server's answer until the server closes.
    private static func uploadClient(_ context: LessonContext, to proxy: Endpoint) throws {
        let client = try DemoSocket.connect(session: context.session, to: proxy)
        client.setReceiveTimeout(3)
        try client.sendFramed(upload)
        if let answer = try client.recvFramed(resetIsEnd: true) {
            context.say("client: uploaded \(upload.count) bytes; the server answered \(shown(answer))")
            _ = try client.recv(1024, resetIsEnd: true)
        } else {
            context.say("client: uploaded \(upload.count) bytes; the server closed without an answer")
        }
        client.close()
    }

    /// The buggy server: busy for 100 ms, one recv(1024), and close.
    private static func closeUnreadServer(_ context: LessonContext) throws -> Endpoint {
        try context.serveOneClient { connection in
            usleep(100_000)
            let data = try connection.recv(1024)
            context.say("server: recv(1024) → \(data.count) bytes; it saves them as the file and closes")
        }
    }

    private static let closeUnreadBug = LessonVariant(
        .bug,
        summary: "the server reads once and closes: 63 KB unread, its kernel sends RST",
        happens: """
            The client sends a 64 KB upload behind its 4-byte length and waits for the server. The server reads \
            recv(1024) once, saves what it got as the file, and closes.
            """,
        explanation: """
            The server closed with about 63 KB sent to it and never read. On Linux a close with unread data \
            does not end the connection politely (FIN): the kernel sends RST, and the data is thrown away \
            (stopped-reading, in the server). Fix: read the header, then loop until the whole upload is in — \
            or, to refuse it, still read (or shutdown) before close.
            """,
        framing: "struct:i",
        verdicts: [.stoppedReading]
    ) { context in
        try uploadClient(context, to: try closeUnreadServer(context))
    }

    private static let closeUnreadProxyOnly = LessonVariant(
        .bug,
        name: "proxy-only",
        summary: "the same, recorded by a plain seam proxy: the capture alone shows it",
        happens: """
            The same client and server, but the session keeps only what `seam proxy` records: the proxy's own \
            calls and the captured packets — not the programs' reads.
            """,
        explanation: """
            Without the server's own calls Seam still proves it: the server's kernel sent RST with no FIN \
            before it, and its receive window had shrunk by the unread bytes and never reopened (a window \
            reopens as the program reads). So a plain proxy session, or any capture, catches a server that \
            closes with unread data (stopped-reading). Without capture privilege this variant has nothing to \
            show.
            """,
        framing: "struct:i",
        recordsPeerCalls: false,
        verdicts: [.stoppedReading]
    ) { context in
        try uploadClient(context, to: try closeUnreadServer(context))
    }

    private static let closeUnreadFix = LessonVariant(
        .fix,
        summary: "the server loops until all 64 KB are in, answers, then closes",
        happens: """
            The same client; the server reads the 4-byte header, then recv(1024) in a loop until the whole \
            upload is in, answers 'saved N bytes', and closes.
            """,
        explanation: """
            Everything sent to the server was read before it closed, so its kernel ended the connection with \
            FIN, not RST, and the answer reached the client. The upload took many reads: an observation.
            """,
        framing: "struct:i"
    ) { context in
        let proxy = try context.serveOneClient { connection in
            guard let data = try connection.recvFramed() else { return }
            try connection.sendFramed(bytes("saved \(data.count) bytes"))
            context.say("server: a 4-byte header, then recv(1024) in a loop → all \(data.count) bytes; answered")
        }
        try uploadClient(context, to: proxy)
    }
}
