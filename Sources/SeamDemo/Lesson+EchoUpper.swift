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
        variants: [echoUpperCorrect]
    )

    private static let echoUpperCorrect = LessonVariant(
        .correct,
        name: "correct",
        summary: "the client waits for every answer; each line travels alone",
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
        exactObservationCount: 0
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
}

extension [UInt8] {
    /// ASCII upper case, as Python's `bytes.upper()`.
    var uppercased: [UInt8] { map { (0x61...0x7a).contains($0) ? $0 - 0x20 : $0 } }
}
