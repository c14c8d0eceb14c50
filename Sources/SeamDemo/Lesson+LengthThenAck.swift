import SeamCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Lesson {
    static let lengthThenAck = Lesson(
        name: "length-then-ack",
        title: "Length first, then recv_ready, then the data — and the loop that counts wrong",
        summary: "the server sends the answer's length as text, waits for 'recv_ready', then sends the answer",
        bug: lengthThenAckBug,
        fix: lengthThenAckFix
    )

    /// The server of both variants: the seed's "length first, then recv_ready" protocol, done right.
    private static func lengthThenAckServer(_ context: LessonContext, clientResets: Bool) throws -> Endpoint {
        try context.serveOneClient(clientResets: clientResets) { connection in
            while true {
                let command = try connection.recv(1024, resetIsEnd: true)
                if command.isEmpty { break }
                let answer = CannedCommand.answer(for: command)
                try connection.send(bytes(String(answer.count)))
                let ready = try connection.recv(1024, resetIsEnd: true)
                if ready.isEmpty { break }
                try connection.sendAll(answer)
                context.say(
                    "server: \(shown(command)): sent the length \(answer.count), got \(shown(ready)), sent the answer"
                )
            }
        }
    }

    private static let lengthThenAckBug = LessonVariant(
        .bug,
        summary: "recv_size += len(recv_data): stops after 3072 of 5080 bytes",
        happens: """
            The client sends `ls -l`, reads the length, sends 'recv_ready', and loops: recv_data += \
            conn.recv(1024); recv_size += len(recv_data) — the length of EVERYTHING read so far, not of this \
            read. Then it sends the next command, `cat notes.txt`, and reads its length.
            """,
        explanation: """
            The loop counted 1024, then 1024 + 2048, then + 3072: past 5080 after three reads, so the client \
            stopped with 3072 of the 5080 bytes and sent the next command (acted-on-partial, in the client). \
            Its next recv(1024), meant for the new length, returned 1024 bytes of the old listing; int() of \
            that fails, the client gives up and closes with the rest unread, and its kernel resets the \
            connection (stopped-reading). Fix: recv_size += len(data), the bytes THIS read returned.
            """,
        verdicts: [.actedOnPartial, .stoppedReading]
    ) { context in
        let proxy = try lengthThenAckServer(context, clientResets: true)
        let client = try DemoSocket.connect(session: context.session, to: proxy)
        client.setReceiveTimeout(3)
        try client.send(bytes("ls -l"))
        let length = Int(String(decoding: try client.recv(1024), as: UTF8.self)) ?? 0
        try client.send(bytes("recv_ready"))
        usleep(50_000)  // the whole answer is there before the loop
        var received: [UInt8] = []
        var counted = 0
        while counted < length {
            received += try client.recv(1024)
            counted += received.count  // the bug: the whole buffer, every time
        }
        context.say(
            "client: length \(length), recv_ready; the loop counted \(counted) and stopped at \(received.count) bytes"
        )
        try client.send(bytes("cat notes.txt"))
        let next = try client.recv(1024)
        context.say("client: cat notes.txt → the 'length' is \(shown(next)): int() fails, it gives up and closes")
        client.close()
    }

    private static let lengthThenAckFix = LessonVariant(
        .fix,
        summary: "recv_size += len(data): the loop gets all 5080 bytes",
        happens: """
            The same client with the loop fixed: data = conn.recv(1024); recv_data += data; recv_size += \
            len(data). Then `cat notes.txt` the same way.
            """,
        explanation: """
            The loop now counts each read's own bytes, so it stops exactly at the length the server announced \
            and every command gets its own answer. The answer still took several reads (an observation), and \
            the protocol costs one extra round trip per answer (length → recv_ready → data), visible in the \
            time budget: slower, not wrong. A fixed-size header (struct-header) gives the same certainty \
            without the round trip.
            """
    ) { context in
        let proxy = try lengthThenAckServer(context, clientResets: false)
        let client = try DemoSocket.connect(session: context.session, to: proxy)
        client.setReceiveTimeout(3)
        for command in ["ls -l", "cat notes.txt"] {
            try client.send(bytes(command))
            let length = Int(String(decoding: try client.recv(1024), as: UTF8.self)) ?? 0
            try client.send(bytes("recv_ready"))
            var counted = 0
            var reads = 0
            while counted < length {
                let data = try client.recv(1024)
                if data.isEmpty { break }
                counted += data.count
                reads += 1
            }
            context.say("client: \(command) → length \(length), recv_ready, \(reads) reads got \(counted) bytes")
        }
        client.close()
    }
}
