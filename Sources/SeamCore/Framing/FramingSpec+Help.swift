extension FramingSpec {
    /// The spec forms with one line of help each, in the order `--help` lists them.
    public static let helpEntries: [(syntax: String, help: String)] = [
        ("line", "messages end with LF"),
        ("crlf", "messages end with CR LF"),
        ("delim:X", "messages end with X (C escapes \\n \\r \\t \\0 \\\\ \\xHH; several bytes allowed)"),
        ("fixed:N", "every message is N bytes"),
        (
            "len:FIELD[@OFF][+ADJ][,after=N][,incl]",
            "OFF bytes, a length FIELD, N more header bytes, then length+ADJ body bytes (incl: whole message)"
        ),
        (
            "  FIELD",
            "u8 u16be u16le u24be u24le u32be u32le i32be i32le u64be u64le, varint (LEB128), mqttvar, dec (ASCII)"
        ),
        ("linelen:W[+ADJ][,opt]", "a line whose word W (from 0; -1 = last) is a decimal length, then that many bytes"),
        ("A/B", "the first message framed by A, the rest by B (e.g. len:u32be,incl/len:u32be@1+1,incl)"),
        ("struct:i", "Python struct.pack('i', n): 4-byte little-endian length, then n bytes (= len:i32le)"),
        ("jsonhdr", "struct.pack('i') length of a JSON header, the header, then total_size body bytes"),
        ("resp", "Redis protocol: one top-level RESP value or inline command per message"),
        ("http1", "HTTP/1.x requests and responses, bodies by Content-Length or chunked"),
        ("dns-tcp", "DNS over TCP: 2-byte big-endian length, then the message"),
        ("tls", "TLS records: 5-byte header (type, version, 2-byte length), then the fragment"),
        ("http2", "HTTP/2: client preface (or h2c upgrade), then frames with a 9-byte header"),
        ("grpc", "gRPC over h2c: HTTP/2 frames, DATA cut into gRPC length-prefixed messages"),
        ("websocket", "WebSocket: the HTTP/1.1 upgrade, then frames"),
        ("mqtt", "MQTT control packets: type byte, Remaining Length varint, rest"),
        ("pgsql", "PostgreSQL: startup/SSLRequest (+ 1-byte answer), then typed messages"),
        ("mysql", "MySQL/MariaDB packets: 3-byte little-endian length, sequence byte, payload"),
        ("kafka", "Kafka requests and responses: 4-byte big-endian size, then the message"),
        ("memcache", "memcached commands and responses with their data blocks (text or binary)"),
        ("protobuf", "varint-delimited protobuf messages (writeDelimitedTo)"),
        ("sends", "messages are the sender's write calls"),
        ("segments", "messages are the captured TCP segments"),
        ("none", "no messages"),
    ]

    /// The help entries as aligned lines of at most 78 columns, for `--help` text: the help beside its syntax,
    /// or under it when the syntax is long, wrapped at word boundaries.
    public static var helpText: String {
        let column = 24
        let width = 78 - column
        var lines: [String] = []
        for entry in helpEntries {
            var wrapped: [String] = []
            var line = ""
            for word in entry.help.split(separator: " ") {
                if !line.isEmpty && line.count + 1 + word.count > width {
                    wrapped.append(line)
                    line = ""
                }
                line += (line.isEmpty ? "" : " ") + word
            }
            if !line.isEmpty { wrapped.append(line) }
            let indent = String(repeating: " ", count: column)
            if entry.syntax.count + 2 > column {
                lines.append(entry.syntax)
                lines += wrapped.map { indent + $0 }
            } else {
                let padding = String(repeating: " ", count: column - entry.syntax.count)
                lines.append(entry.syntax + padding + (wrapped.first ?? ""))
                lines += wrapped.dropFirst().map { indent + $0 }
            }
        }
        return lines.joined(separator: "\n")
    }
}
