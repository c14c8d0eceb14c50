import SeamCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Lesson {
    static let lengthThenAck = Lesson(
        name: "length-then-ack",
        title: "The low fix: send the length, wait for recv_ready, then the data",
        summary: "the length goes first, the client answers recv_ready, then the data: one extra round trip",
        happens: """
            The client sends a command; the server answers with the length of the canned output as text, \
            waits for the client's 'recv_ready', then sends the output; the client loops recv(1024) until \
            it has that many bytes.
            """,
        explanation: """
            The length and the data can no longer stick together, because the server waits for \
            'recv_ready' between them; the client's recv loop collects the output piece by piece (the data \
            is split at the recv layer, and that is fine: the loop knows how many bytes to wait for). The \
            price is one extra round trip per answer, visible in the timeline. Fix of the fix: a fixed-size \
            length header (struct-header) gives the same certainty without the round trip.
            """,
        expected: [ExpectedFinding(.split, at: .recv, cause: .recvBuffer)]
    ) { context in
        let listener = try DemoSocket.listener(session: context.session)
        let proxy = try context.startProxy(to: listener.localEndpoint)
        context.spawn("server") {
            let connection = try listener.accept()
            connection.setReceiveTimeout(3)
            let command = try connection.recv(1024)
            let (_, stdout) = CannedCommand.output(for: String(decoding: command, as: UTF8.self))
            try connection.send(bytes(String(stdout.count)))
            let ready = try connection.recv(1024)
            context.say("server: sent the length \(stdout.count), recv(1024) → \(shown(ready))")
            try connection.sendAll(stdout)
            _ = try connection.recv(1024)
            connection.close()
        }
        let client = try DemoSocket.connect(session: context.session, to: proxy)
        client.setReceiveTimeout(3)
        try client.send(bytes("ls -l"))
        let length = Int(String(decoding: try client.recv(1024), as: UTF8.self)) ?? 0
        try client.send(bytes("recv_ready"))
        var received = 0
        var reads = 0
        while received < length {
            let piece = try client.recv(1024)
            if piece.isEmpty { break }
            received += piece.count
            reads += 1
        }
        context.say("client: length \(length), sent recv_ready, \(reads) recv(1024) calls got \(received) bytes")
        client.close()
    }

    static let structHeader = Lesson(
        name: "struct-header",
        title: "The fix: a 4-byte length header (struct.pack('i', n))",
        summary: "every message carries its length in 4 bytes; framing struct:i recovers every message",
        happens: """
            The client sends three messages, each as struct.pack('i', len(body)) + body in one sendall; the \
            server reads with recv(1024) into a buffer and cuts whole messages off it by their headers, \
            answering each with a framed 'ok'.
            """,
        explanation: """
            Every message went out whole and the reader cut the byte stream by the headers, not by its \
            reads: with framing struct:i the report finds every message and no lost boundary. The reader no \
            longer depends on how the kernel cut the stream: had two messages arrived in one recv, the \
            buffer would still have yielded two. This is the fix for sticky packets: 4 bytes little-endian \
            on x86 ('i'); use '!I' (network order) between different machines.
            """,
        framing: "struct:i",
        exactFindingCount: 0
    ) { context in
        let bodies = ["hello", "feng", String(repeating: "seam ", count: 60)]
        let listener = try DemoSocket.listener(session: context.session)
        let proxy = try context.startProxy(to: listener.localEndpoint)
        context.spawn("server") {
            let connection = try listener.accept()
            connection.setReceiveTimeout(3)
            var buffer: [UInt8] = []
            var count = 0
            while count < bodies.count {
                let data = try connection.recv(1024)
                if data.isEmpty { break }
                buffer += data
                while let message = StructHeader.cut(&buffer) {
                    count += 1
                    context.say("server: message \(count) of \(message.count) bytes: \(shown(message))")
                    try connection.send(StructHeader.framed(bytes("ok \(count)")))
                }
            }
            _ = try connection.recv(1024)
            connection.close()
        }
        let client = try DemoSocket.connect(session: context.session, to: proxy)
        client.setReceiveTimeout(3)
        for body in bodies {
            try client.sendAll(StructHeader.framed(bytes(body)))
            let answer = try client.recv(1024)
            context.say("client: sent \(body.utf8.count)+4 bytes, recv(1024) → \(shown(answer))")
        }
        client.close()
    }

    static let jsonHeader = Lesson(
        name: "json-header",
        title: "The seed's final version: header length, JSON header, body",
        summary: "struct.pack('i', len(header)), a JSON header (name, total_size, md5), then the body",
        happens: """
            The client asks for a file with a framed JSON request; the server answers as the seed does, in \
            three sends: the 4-byte header length, the JSON header {"file_name", "total_size", "md5"}, and \
            the body. The client reads 4 bytes, then the header, then the body in a loop.
            """,
        explanation: """
            Every answer was written in three send calls, so each message is split at the send layer \
            (split-write: the sender wrote it in pieces, each send taken whole), and that is harmless: with framing jsonhdr the \
            report still cuts every message exactly, because the header says how long the JSON is and the \
            JSON says how long the body is. The reader never has to guess. Fix already applied; to save \
            segments, build the three parts into one buffer and sendall it.
            """,
        framing: "jsonhdr",
        expected: [ExpectedFinding(.split, at: .send, cause: .splitWrite)]
    ) { context in
        let listener = try DemoSocket.listener(session: context.session)
        let proxy = try context.startProxy(to: listener.localEndpoint)
        context.spawn("server") {
            let connection = try listener.accept()
            connection.setReceiveTimeout(3)
            for _ in 0..<2 {
                let request = try connection.recv(1024)
                if request.isEmpty { break }
                let body = Array(CannedCommand.listing.prefix(1_500))
                let header = bytes(
                    "{\"file_name\": \"report.txt\", \"total_size\": \(body.count), \"md5\": \"\(JSONHeaderText.md5Like(body))\"}"
                )
                try connection.send(StructHeader.lengthBytes(header.count))
                try connection.send(header)
                try connection.send(body)
                context.say(
                    "server: answered in 3 sends: 4-byte length, \(header.count)-byte JSON header, \(body.count) bytes"
                )
            }
            _ = try connection.recv(1024)
            connection.close()
        }
        let client = try DemoSocket.connect(session: context.session, to: proxy)
        client.setReceiveTimeout(3)
        for name in ["report.txt", "report.txt"] {
            let header = bytes("{\"cmd\": \"get\", \"file_name\": \"\(name)\", \"total_size\": 0}")
            try client.sendAll(StructHeader.lengthBytes(header.count) + header)
            let length = StructHeader.value(try client.recvExactly(4))
            let json = try client.recvExactly(length)
            let total = JSONHeaderText.totalSize(json)
            let body = try client.recvExactly(total)
            context.say("client: header \(length) bytes, total_size \(total), body \(body.count) bytes")
        }
        client.close()
    }

    static let sendVersusSendAll = Lesson(
        name: "send-vs-sendall",
        title: "send() may take less than you gave it; sendall() loops",
        summary: "a small SO_SNDBUF and a non-blocking socket: send returns less than asked, sendall loops",
        happens: """
            The client shrinks SO_SNDBUF to 4 KB, makes its socket non-blocking and offers one 48 KB \
            message to send(); then it hands what send did not take to sendall(), which loops (waiting for \
            room) until all is taken. The proxy reads slowly (100 ms per read) so the buffers fill.
            """,
        explanation: """
            send() returned less than asked: the kernel took only what fitted in the socket's send buffer \
            and the program must send the rest itself. Code that ignores send()'s return value silently loses \
            the tail. sendall() is that loop. The report shows it at the send layer (partial-send: one \
            message written in several calls, each call's buf= the bytes offered, len= the bytes taken). \
            Fix: use sendall() (or loop on send's return value) and frame the messages.
            """,
        framing: "fixed:49152",
        proxies: [ProxySetup(recvDelayMilliseconds: 100)],
        expected: [ExpectedFinding(.split, at: .send, cause: .partialSend)]
    ) { context in
        let listener = try DemoSocket.listener(session: context.session)
        let proxy = try context.startProxy(to: listener.localEndpoint)
        let payload = (0..<49_152).map { UInt8(0x61 + $0 % 26) }
        context.spawn("server") {
            let connection = try listener.accept()
            connection.setReceiveTimeout(3)
            var total = 0
            while total < payload.count {
                let data = try connection.recv(65_536)
                if data.isEmpty { break }
                total += data.count
            }
            context.say("server: received \(total) bytes in all")
            connection.close()
        }
        let client = try DemoSocket.connect(session: context.session, to: proxy, sendBuffer: 4_096)
        client.setNonBlocking()
        let taken = try client.send(payload)
        context.say("client: send(\(payload.count) bytes) → \(taken): the kernel took only what fitted")
        if taken < payload.count {
            let calls = try client.sendAll(Array(payload[taken...]))
            context.say("client: sendall of the other \(payload.count - taken) bytes looped over \(calls) send calls")
        }
        context.finishSpawned()
        client.close()
    }
}
