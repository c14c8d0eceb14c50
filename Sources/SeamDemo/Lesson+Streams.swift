import SeamCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Lesson {
    static let echoUpper = Lesson(
        name: "echo-upper",
        title: "TCP echo: a connection loop and a communication loop",
        summary: "the server upper-cases each line; restarted twice on the same port thanks to SO_REUSEADDR",
        happens: """
            A server with SO_REUSEADDR accepts one client at a time (connection loop) and answers every recv \
            with the upper-cased bytes (communication loop). The client sends a line, waits for the answer, \
            three times per connection. The server then closes first (its port is left in TIME_WAIT) and is \
            restarted twice on the same port.
            """,
        explanation: """
            Each line went out in one send, one segment and one recv, because the client waited for every \
            answer: request/response keeps the boundaries by luck of timing, not by design. The server closed \
            first, so its port sat in TIME_WAIT (2×MSL, 60 s on Linux); binding it again without SO_REUSEADDR \
            fails with "Address already in use" (EADDRINUSE), with SO_REUSEADDR the restart works at once. \
            Fix: set SO_REUSEADDR on every listening socket before bind.
            """,
        framing: "line",
        exactFindingCount: 0
    ) { context in
        let listener = try DemoSocket.listener(session: context.session)
        let port = listener.localEndpoint.port
        let proxy = try context.startProxy(to: listener.localEndpoint)
        context.say("server: listening on 127.0.0.1:\(port) with SO_REUSEADDR")
        var current = listener
        for round in 1...3 {
            let server = current
            context.spawn("server") {
                let connection = try server.accept()  // connection loop: one client this round
                connection.setReceiveTimeout(3)
                while true {  // communication loop
                    let data = try connection.recv(1024)
                    if data.isEmpty { break }
                    context.say("server: recv(1024) → \(shown(data)), send \(shown(data.uppercased))")
                    try connection.send(data.uppercased)
                    if data == bytes("bye\n") { break }
                }
                connection.close()  // the server closes first: its side goes to TIME_WAIT
            }
            let client = try DemoSocket.connect(session: context.session, to: proxy)
            client.setReceiveTimeout(3)
            for line in ["hello \(round)\n", "socket\n", "bye\n"] {
                try client.send(bytes(line))
                let answer = try client.recv(1024)
                context.say("client: send \(shown(bytes(line))), recv(1024) → \(shown(answer))")
            }
            _ = try client.recv(1024)  // b'': the server closed
            client.close()
            _ = context.finishSpawned()
            server.close()
            guard round < 3 else { break }
            if let refused = tryBindWithoutReuse(port: port, context: context) {
                context.say("restart without SO_REUSEADDR: \(refused) — the old connection is in TIME_WAIT")
            } else {
                context.say("restart without SO_REUSEADDR: bind worked (no TIME_WAIT left on the port)")
            }
            current = try DemoSocket.listener(session: context.session, port: port)
            context.say("restart \(round) with SO_REUSEADDR: listening on 127.0.0.1:\(port) again")
        }
    }

    /// Binds `port` without SO_REUSEADDR; the error text when it fails.
    static func tryBindWithoutReuse(port: UInt16, context: LessonContext) -> String? {
        do {
            let probe = try DemoSocket.listener(session: context.session, port: port, reuseAddress: false)
            probe.close()
            return nil
        } catch {
            return "\(error)"
        }
    }

    static let commandOutput = Lesson(
        name: "command-output",
        title: "Remote command: the answer is longer than recv(1024)",
        summary: "a 5 KB canned `ls -l` answer; recv(1024) gets its start, the rest answers the next command",
        happens: """
            The client sends a command; the server looks up a CANNED output (nothing is ever executed) and \
            sends stderr, then stdout, in two sends. The client reads the answer with one recv(1024).
            """,
        explanation: """
            The answer to `ls -l` was about 5 KB; recv(1024) returned only its first kilobyte, and the next \
            command's recv(1024) returned the next kilobyte of the OLD answer: the messages were split at the \
            recv layer (the reader's buffer was smaller than the message) and the client could not tell where \
            one answer ended. Fix: frame the answer — send its length first (struct.pack('i', n)) and recv \
            until that many bytes arrived.
            """,
        expected: [ExpectedFinding(.split, at: .recv, cause: .recvBuffer)]
    ) { context in
        let listener = try DemoSocket.listener(session: context.session)
        let proxy = try context.startProxy(to: listener.localEndpoint)
        context.spawn("server") {
            let connection = try listener.accept()
            connection.setReceiveTimeout(3)
            while true {
                let command = try connection.recv(1024)
                if command.isEmpty { break }
                let (stderr, stdout) = CannedCommand.output(for: String(decoding: command, as: UTF8.self))
                if !stderr.isEmpty { try connection.send(stderr) }
                if !stdout.isEmpty { try connection.send(stdout) }
                context.say("server: \(shown(command)) → stderr \(stderr.count) bytes, stdout \(stdout.count) bytes")
            }
            connection.close()
        }
        let client = try DemoSocket.connect(session: context.session, to: proxy)
        client.setReceiveTimeout(3)
        for command in ["ls -l", "cat notes.txt"] {
            try client.send(bytes(command))
            usleep(150_000)  // the whole answer is there before the read
            let answer = try client.recv(1024)
            context.say("client: \(command) → recv(1024) got \(answer.count) bytes: \(shown(answer, limit: 40))")
        }
        client.shutdownWrite()
        let rest = try client.drain()
        context.say("client: \(rest.count) bytes of old answers were still waiting when it closed")
        client.close()
    }

    static let senderCoalescing = Lesson(
        name: "sender-coalescing",
        title: "Sticky packets, sender side",
        summary: "two quick small sends (hello, feng) leave as one segment; the server's recv(10) reads both",
        happens: """
            The client sends 'hello' with MSG_MORE (more is coming, hold it) and then 'feng': the kernel \
            puts both into one TCP segment, as Nagle's algorithm does with quick small writes. The server \
            waits a moment and reads with recv(10).
            """,
        explanation: """
            Two send calls, ONE segment: the boundary between 'hello' and 'feng' was lost at the segment \
            layer, in the sender's kernel (Nagle's algorithm, cork/MSG_MORE, or one buffered write), before \
            a single byte reached the wire. No reader can get it back: recv(10) returned 'hellofeng'. TCP \
            is a byte stream. Fix: frame the messages (a 4-byte length header, struct.pack('i', n), or a \
            delimiter); TCP_NODELAY only changes timing, it does not make boundaries.
            """,
        expected: [ExpectedFinding(.coalesced, at: .segment, cause: .senderCoalescing)]
    ) { context in
        let listener = try DemoSocket.listener(session: context.session)
        let proxy = try context.startProxy(to: listener.localEndpoint)
        context.spawn("server") {
            let connection = try listener.accept()
            connection.setReceiveTimeout(3)
            usleep(200_000)
            let data = try connection.recv(10)
            context.say("server: recv(10) → \(shown(data))")
            _ = try connection.recv(10)
            connection.close()
        }
        let client = try DemoSocket.connect(session: context.session, to: proxy)
        try client.send(bytes("hello"), flags: Int32(MSG_MORE))
        try client.send(bytes("feng"))
        context.say("client: send 'hello' (MSG_MORE), send 'feng'")
        usleep(300_000)
        client.close()
    }

    static let receiverBacklog = Lesson(
        name: "receiver-backlog",
        title: "Sticky packets, receiver side",
        summary: "separate segments 50 ms apart, a server that sleeps 400 ms: one recv takes both",
        happens: """
            The client sets TCP_NODELAY and sends 'hello', then 50 ms later 'feng': two segments. The \
            server sleeps 400 ms before its recv(1024), as a busy reader would.
            """,
        explanation: """
            The bytes travelled in separate segments, so the sender kept the boundary; it was lost at the \
            recv layer: both messages were waiting in the server's receive buffer when it finally read, and \
            one recv(1024) returned everything there was (receiver backlog). A faster reader only makes it \
            rarer. Fix: frame the messages and let the reader cut them, whatever each recv returns.
            """,
        expected: [ExpectedFinding(.coalesced, at: .recv, cause: .receiverBacklog)]
    ) { context in
        let listener = try DemoSocket.listener(session: context.session)
        let proxy = try context.startProxy(to: listener.localEndpoint)
        context.spawn("server") {
            let connection = try listener.accept()
            connection.setReceiveTimeout(3)
            usleep(400_000)
            let data = try connection.recv(1024)
            context.say("server: slept 400 ms, recv(1024) → \(shown(data))")
            _ = try connection.recv(1024)
            connection.close()
        }
        let client = try DemoSocket.connect(session: context.session, to: proxy, noDelay: true)
        try client.send(bytes("hello"))
        usleep(50_000)
        try client.send(bytes("feng"))
        context.say("client: TCP_NODELAY, send 'hello', 50 ms, send 'feng'")
        usleep(500_000)
        client.close()
    }

    static let smallRecv = Lesson(
        name: "small-recv",
        title: "recv(2) then recv(10)",
        summary: "the seed's recv(2) then recv(10): 'he', then 'llofeng'",
        happens: """
            The client sends 'hello' and, 50 ms later, 'feng' (TCP_NODELAY). The server waits, then reads \
            recv(2) and recv(10).
            """,
        explanation: """
            recv(2) cut 'hello' after two bytes (split at the recv layer: the buffer was smaller than the \
            message) and recv(10) returned the rest of 'hello' together with 'feng' (coalesced at the recv \
            layer: both were waiting). recv(N) returns AT MOST N bytes of whatever has arrived; it knows \
            nothing of messages. Fix: a length header, then recv in a loop until the message is whole.
            """,
        expected: [
            ExpectedFinding(.split, at: .recv, cause: .recvBuffer),
            ExpectedFinding(.coalesced, at: .recv, cause: .receiverBacklog),
        ]
    ) { context in
        let listener = try DemoSocket.listener(session: context.session)
        let proxy = try context.startProxy(to: listener.localEndpoint)
        context.spawn("server") {
            let connection = try listener.accept()
            connection.setReceiveTimeout(3)
            usleep(250_000)
            let first = try connection.recv(2)
            let second = try connection.recv(10)
            context.say("server: recv(2) → \(shown(first)), recv(10) → \(shown(second))")
            _ = try connection.recv(10)
            connection.close()
        }
        let client = try DemoSocket.connect(session: context.session, to: proxy, noDelay: true)
        try client.send(bytes("hello"))
        usleep(50_000)
        try client.send(bytes("feng"))
        context.say("client: send 'hello', 50 ms, send 'feng'")
        usleep(400_000)
        client.close()
    }
}

extension [UInt8] {
    /// ASCII upper case, as Python's `bytes.upper()`.
    var uppercased: [UInt8] { map { (0x61...0x7a).contains($0) ? $0 - 0x20 : $0 } }
}
