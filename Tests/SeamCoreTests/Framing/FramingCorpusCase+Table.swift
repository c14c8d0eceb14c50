extension FramingCorpusCase {
    /// The corpus files of every protocol the corpus has, with tshark's counts.
    static let all: [FramingCorpusCase] = [
        FramingCorpusCase(
            file: "ndpi--tls_2_reasms.pcapng",
            spec: .tls,
            field: "tls.record.length",
            tshark: ["tcp.0": (3, 10)],
            picks: .tls
        ),
        FramingCorpusCase(
            file: "zeek--tls1.2.pcap",
            spec: .tls,
            field: "tls.record.length",
            tshark: ["tcp.0": (7, 7)],
            picks: .tls
        ),
        FramingCorpusCase(
            file: "suricata-tls-subjectaltname--input.pcap",
            spec: .tls,
            field: "tls.record.length",
            tshark: ["total": (181, 440)],
            skipped: ["tcp.0", "tcp.1", "tcp.3", "tcp.8", "tcp.12", "tcp.40"],
            skippedBecause: "Seam's reassembly of these six flows differs from tshark's (a SYN on a reused port "
                + "after a RST, capture gaps of hundreds of MB): a Streams matter, not framing",
            totals: true,
            serverPort: 443,
            picks: .tls
        ),
        FramingCorpusCase(
            file: "suricata-mqtt-limit-2--input.pcap",
            spec: .mqtt,
            field: "mqtt.msgtype",
            tshark: ["tcp.0": (6, 6)],
            picks: .mqtt
        ),
        FramingCorpusCase(
            file: "deepflow--mqtt_one_packet_multi_publish.pcap",
            spec: .mqtt,
            field: "mqtt.msgtype",
            tshark: ["tcp.0": (10, 10)],
            picks: .mqtt
        ),
        FramingCorpusCase(
            file: "zeek--greenhouse-app.pcap",
            spec: .pgsql,
            field: "pgsql.type",
            counting: .excluding(["SSL answer"]),
            tshark: ["tcp.0": (66, 178), "tcp.1": (24, 74)],
            picks: .pgsql
        ),
        FramingCorpusCase(
            file: "zeek--many-query-attrs.pcap",
            spec: .mysql,
            field: "mysql.packet_length",
            tshark: ["tcp.0": (44, 403)],
            picks: .mysql
        ),
        FramingCorpusCase(
            file: "ndpi--kafka.pcapng",
            spec: .kafka,
            field: "kafka.len",
            tshark: [
                "tcp.0": (2, 3), "tcp.1": (1, 3), "tcp.2": (1, 1), "tcp.3": (1, 1), "tcp.4": (2, 2), "tcp.5": (1, 0),
                "tcp.6": (1, 0), "tcp.7": (1, 0), "tcp.8": (4, 4),
            ],
            picks: .kafka
        ),
        FramingCorpusCase(
            file: "deepflow--memcached-userdata.pcap",
            spec: .memcache,
            field: "memcache",
            tshark: ["tcp.0": (10_138, 10_153)],
            seam: ["tcp.0": (10_154, 10_153)],
            difference: "tshark 4.0 misses 16 of the client's pipelined get lines; the bytes hold 10 041 get, "
                + "112 gets and 1 set command (s2c: tshark's memcache PDUs, 10 152 END-terminated answers and 1 STORED)",
            picks: .memcache
        ),
        FramingCorpusCase(
            file: "zeek--large-requests-responses.pcap",
            spec: .resp,
            field: "resp",
            tshark: ["tcp.0": (5, 18)],
            seam: ["tcp.0": (5, 5)],
            difference: "tshark 4.0 splits the 237 526-byte COMMAND DOCS reply (*544 …) into several PDUs; the "
                + "bytes hold 5 top-level replies (237 526, 5, 5, 508 and 1009 bytes)",
            picks: .resp
        ),
        FramingCorpusCase(
            file: "suricata--dns-tcp-multirequest-buffer.pcap",
            spec: .dnsTCP,
            field: "dns.id",
            tshark: ["tcp.0": (20, 20)],
            picks: .dnsTCP
        ),
        FramingCorpusCase(
            file: "tcpdump--dns_tcp.pcap",
            spec: .dnsTCP,
            field: "dns.id",
            tshark: ["tcp.0": (1, 1)],
            picks: .dnsTCP
        ),
        FramingCorpusCase(
            file: "suricata--basic_websockets.pcap",
            spec: .websocket,
            field: "websocket.opcode",
            counting: .excluding(handshakeHeads),
            tshark: ["tcp.0": (3, 14)],
            picks: .websocket
        ),
        FramingCorpusCase(
            file: "arkime--websocket.pcap",
            spec: .websocket,
            field: "websocket.opcode",
            counting: .excluding(handshakeHeads),
            tshark: ["tcp.0": (2, 3)],
            picks: .websocket
        ),
        FramingCorpusCase(
            file: "suricata-http2-long-frame--input.pcap",
            spec: .http2,
            field: "http2.type",
            tsharkArguments: ["-d", "tcp.port==8443,http2"],
            counting: .excluding(http2Heads),
            tshark: ["tcp.0": (5, 4)],
            picks: .http2
        ),
        FramingCorpusCase(
            file: "arkime--http2-nghttp2.pcap",
            spec: .http2,
            field: "http2.type",
            tsharkArguments: ["-d", "tcp.port==80,http2"],
            counting: .excluding(http2Heads),
            tshark: ["tcp.0": (12, 9)],
            picks: .http2
        ),
        FramingCorpusCase(
            file: "deepflow--grpc-service-name.pcap",
            spec: .grpc,
            field: "grpc.message_length",
            tsharkArguments: ["-d", "tcp.port==38888,http2"],
            counting: .only("gRPC "),
            tshark: ["tcp.0": (3, 1)],
            picks: .grpc
        ),
        FramingCorpusCase(
            file: "deepflow--grpc-service-name.pcap",
            spec: .http2,
            field: "http2.type",
            tsharkArguments: ["-d", "tcp.port==38888,http2"],
            counting: .excluding(http2Heads),
            tshark: ["tcp.0": (13, 13)]
        ),
        FramingCorpusCase(
            file: "deepflow--grpc-server-stream.pcap",
            spec: .grpc,
            field: "grpc.message_length",
            tsharkArguments: ["-d", "tcp.port==9001,http2"],
            counting: .only("gRPC "),
            tshark: ["tcp.0": (1, 2)],
            picks: .grpc
        ),
    ]
}
