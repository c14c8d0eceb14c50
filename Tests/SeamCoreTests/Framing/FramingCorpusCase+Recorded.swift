extension FramingCorpusCase {
    /// Traffic recorded from real servers of Debian's packages (Tests/Fixtures/framing/README.md says how):
    /// each with a message over 64 KiB and pipelined requests.
    static let recorded: [FramingCorpusCase] = [
        FramingCorpusCase(
            file: "pgsql.pcap",
            location: .fixtures,
            spec: .pgsql,
            field: "pgsql.type+tls.record.length",
            decodeAs: "pgsql",
            counting: .excluding(["SSL answer"]),
            tshark: ["tcp.0": (15, 41), "tcp.1": (10, 19)],
            picks: .pgsql
        ),
        FramingCorpusCase(
            file: "mqtt.pcap",
            location: .fixtures,
            spec: .mqtt,
            field: "mqtt.msgtype",
            decodeAs: "mqtt",
            tshark: ["tcp.0": (10, 15)],
            picks: .mqtt
        ),
        FramingCorpusCase(
            file: "tls.pcap",
            location: .fixtures,
            spec: .tls,
            field: "tls.record.length",
            decodeAs: "tls",
            tshark: ["tcp.0": (5, 15), "tcp.1": (5, 10)],
            picks: .tls
        ),
        FramingCorpusCase(
            file: "memcache.pcap",
            location: .fixtures,
            spec: .memcache,
            field: "memcache",
            decodeAs: "memcache",
            tshark: ["tcp.0": (3, 5)],
            seam: ["tcp.0": (11, 9)],
            difference: "tshark 4.0 takes one PDU per segment of pipelined commands; the bytes hold 11 commands "
                + "(set, a 70 000-byte set, get of two keys, gets, incr, delete noreply, mg, ms, stats, version, "
                + "quit) and 9 answers (delete noreply and quit get none)",
            picks: .memcache
        ),
        FramingCorpusCase(
            file: "resp.pcap",
            location: .fixtures,
            spec: .resp,
            field: "resp",
            decodeAs: "resp",
            tshark: ["tcp.0": (4, 6)],
            seam: ["tcp.0": (11, 11)],
            difference: "tshark 4.0 misses pipelined commands in one segment and the 70 000-byte bulk reply; the "
                + "bytes hold 7 pipelined commands, then HELLO 3, HGETALL, PING and QUIT, each answered once",
            picks: .resp
        ),
        FramingCorpusCase(
            file: "http2.pcap",
            location: .fixtures,
            spec: .http2,
            field: "http2.type",
            decodeAs: "http2",
            counting: .excluding(http2Heads),
            tshark: ["tcp.0": (15, 19), "tcp.1": (12, 6)],
            picks: .http2
        ),
        FramingCorpusCase(
            file: "mysql.pcap",
            location: .fixtures,
            spec: .mysql,
            field: "mysql.packet_length+tls.record.length",
            decodeAs: "mysql",
            tshark: ["tcp.0": (5, 17), "tcp.1": (8, 12)],
            picks: .mysql
        ),
        FramingCorpusCase(
            file: "websocket.pcap",
            location: .fixtures,
            spec: .websocket,
            field: "websocket.opcode",
            decodeAs: "http",
            counting: .excluding(handshakeHeads),
            tshark: ["tcp.0": (7, 7)],
            picks: .websocket
        ),
        FramingCorpusCase(
            file: "grpc.pcap",
            location: .fixtures,
            spec: .grpc,
            field: "grpc.message_length",
            decodeAs: "http2",
            counting: .only("gRPC "),
            tshark: ["tcp.0": (5, 7)],
            picks: .grpc
        ),
        FramingCorpusCase(
            file: "grpc.pcap",
            location: .fixtures,
            spec: .http2,
            field: "http2.type",
            decodeAs: "http2",
            counting: .excluding(http2Heads),
            tshark: ["tcp.0": (23, 27)]
        ),
    ]
}
