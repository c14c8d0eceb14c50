import SeamCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Lesson {
    static let commandOutput = Lesson(
        name: "command-output",
        title: "Remote command: an answer longer than one recv(1024)",
        summary: "the client runs `ls -l` (a 5 KB canned answer, never executed), then `cat notes.txt`",
        bug: commandOutputBug,
        fix: commandOutputFix
    )

    private static let commandOutputBug = LessonVariant(
        .bug,
        summary: "one recv(1024) per answer, then the next command, then close",
        happens: """
            The client sends a command and reads the answer with one recv(1024); the server looks up a CANNED \
            output (nothing is ever executed) and sends stdout and stderr in one send. Then the next command, \
            and the client closes.
            """,
        explanation: """
            The answer to `ls -l` was about 5 KB and the client's one recv(1024) returned its first kilobyte; \
            the client took that for the whole answer and sent the next command (acted-on-partial, in the \
            client). Its next recv(1024) returned the next kilobyte of the OLD answer, not the answer to \
            `cat notes.txt`: the stream was out of step. Then it closed with the rest unread, and its kernel \
            reset the connection (stopped-reading). Fix: the server sends the length first, \
            struct.pack('i', len(answer)), and the client reads those 4 bytes, then loops on recv until it has \
            that many.
            """,
        verdicts: [.actedOnPartial, .stoppedReading]
    ) { context in
        let proxy = try context.serveOneClient(clientResets: true) { connection in
            while true {
                let command = try connection.recv(1024, resetIsEnd: true)
                if command.isEmpty { break }
                let answer = CannedCommand.answer(for: command)
                try connection.send(answer)
                context.say("server: \(shown(command)) → one send of \(answer.count) bytes")
            }
        }
        let client = try DemoSocket.connect(session: context.session, to: proxy)
        client.setReceiveTimeout(3)
        for command in ["ls -l", "cat notes.txt"] {
            try client.send(bytes(command))
            usleep(150_000)  // the whole answer is there before the read
            let answer = try client.recv(1024)
            context.say("client: \(command) → recv(1024) got \(answer.count) bytes: \(shown(answer, limit: 40))")
        }
        client.close()
        context.say("client: closed, with the rest of the `ls -l` answer and the whole `cat` answer unread")
    }

    private static let commandOutputFix = LessonVariant(
        .fix,
        summary: "a struct.pack('i', len) header; the client loops until len bytes",
        happens: """
            The server sends struct.pack('i', len(answer)), then the answer (two sends, as the seed does). The \
            client reads exactly 4 bytes, then loops recv(1024) until it has that many bytes, and only then \
            sends the next command.
            """,
        explanation: """
            The 5 KB answer still took several reads (split at the recv layer: an observation), but the client \
            knew from the header how many bytes to wait for, so every command got its own answer and nothing \
            was left unread when it closed. Header and body in two sends, or one: either is correct.
            """
    ) { context in
        let proxy = try context.serveOneClient { connection in
            while true {
                let command = try connection.recv(1024, resetIsEnd: true)
                if command.isEmpty { break }
                let answer = CannedCommand.answer(for: command)
                try connection.send(StructHeader.lengthBytes(answer.count))
                try connection.sendAll(answer)
                context.say("server: \(shown(command)) → a 4-byte header, then \(answer.count) bytes")
            }
        }
        let client = try DemoSocket.connect(session: context.session, to: proxy)
        client.setReceiveTimeout(3)
        for command in ["ls -l", "cat notes.txt"] {
            try client.send(bytes(command))
            let length = StructHeader.value(try client.recvExactly(4))
            let answer = try client.recvExactly(length)
            context.say(
                "client: \(command) → header says \(length) bytes; recv(1024) in a loop got all \(answer.count)"
            )
        }
        client.close()
    }
}
