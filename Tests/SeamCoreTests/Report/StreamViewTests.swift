import Testing

@testable import SeamCore

/// Each `--stream` view on hand-made chunks: what a chunk's heading says, how bytes are shown, holes, the
/// closing tally, and the lines that must be byte-identical to tshark's.
@Suite struct StreamViewTests {
    static let flow = FollowedFlow(
        id: FlowID(proto: .tcp, index: 3),
        client: Endpoint("10.0.0.1:40000")!,
        server: Endpoint("10.0.0.2:80")!
    )
    static let t0 = Timestamp(seconds: 1_591_780_863, nanoseconds: 847_322_941)

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    static let request = StreamChunk(
        direction: .clientToServer,
        offset: 0,
        time: t0,
        frame: 4,
        content: .bytes(Array("GET /\r\n".utf8))
    )
    static let answer = StreamChunk(
        direction: .serverToClient,
        offset: 0,
        time: Timestamp(nanoseconds: t0.nanoseconds + 1_000),
        frame: 6,
        content: .bytes([0x00, 0x41, 0x7F, 0x0A])
    )
    static let hole = StreamChunk(direction: .clientToServer, offset: 7, time: t0, content: .missing(1380))

    @Test func asciiShowsPrintableBytesAndMarksDirections() {
        var view = ASCIIStreamView()
        let out = Self.text(view.rendered(Self.flow, chunks: [Self.request, Self.answer, Self.hole]))
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[1] == "Follow: tcp.3 ascii, both directions (Wireshark: tcp.stream eq 3)")
        #expect(lines[2] == "Node 0: 10.0.0.1:40000 (client, sends c2s)")
        #expect(out.contains("c2s [0, 7) 7 bytes, frame 4, 09:21:03.847322\nGET /\r\n\n"))
        // s2c is indented by a tab as in Follow; NUL and DEL become dots, LF stays.
        #expect(out.contains("\ts2c [0, 4) 4 bytes, frame 6, 09:21:03.847323\n.A.\n\n"))
        #expect(out.contains("c2s [7, 1387) [1380 bytes missing in capture file]\n"))
        #expect(out.hasSuffix("c2s: 7 bytes in 1 chunk, 1380 bytes missing in 1 hole; s2c: 4 bytes in 1 chunk\n"))
    }

    @Test func asciiMapsEveryByteTheWayFollowDoes() {
        #expect(ASCIIStreamView.shown(0x0D) == 0x0D)
        #expect(ASCIIStreamView.shown(0x0A) == 0x0A)
        #expect(ASCIIStreamView.shown(0x09) == UInt8(ascii: "."))
        #expect(ASCIIStreamView.shown(0x20) == 0x20)
        #expect(ASCIIStreamView.shown(0x7E) == 0x7E)
        #expect(ASCIIStreamView.shown(0x80) == UInt8(ascii: "."))
        #expect(ASCIIStreamView.shown(0xFF) == UInt8(ascii: "."))
    }

    /// The lines of `tshark -z follow,tcp,hex,0` on the corpus's tcpdump--dns_tcp.pcap, first chunk.
    @Test func hexLinesAreTsharks() {
        let bytes: [UInt8] = [
            0x00, 0x38, 0x43, 0x19, 0x01, 0x20, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x77,
            0x77, 0x77, 0x07, 0x74, 0x63, 0x70, 0x64, 0x75, 0x6d, 0x70, 0x03, 0x6f, 0x72, 0x67, 0x00, 0x00,
            0x01, 0x00, 0x01, 0x00, 0x00, 0x29, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x0a,
            0x00, 0x08, 0x8f, 0x06, 0xbe, 0x7d, 0x69, 0x14, 0x42, 0xf0,
        ]
        var view = HexStreamView()
        _ = view.begin(Self.flow, directions: .both)
        let out = Self.text(
            view.render(StreamChunk(direction: .clientToServer, offset: 0, time: Self.t0, content: .bytes(bytes)))
        )
        #expect(
            out == """
                c2s [0, 58) 58 bytes, 09:21:03.847322
                00000000  00 38 43 19 01 20 00 01  00 00 00 00 00 01 03 77  .8C.. .. .......w
                00000010  77 77 07 74 63 70 64 75  6d 70 03 6f 72 67 00 00  ww.tcpdu mp.org..
                00000020  01 00 01 00 00 29 10 00  00 00 00 00 00 0c 00 0a  .....).. ........
                00000030  00 08 8f 06 be 7d 69 14  42 f0                    .....}i. B.

                """
        )
    }

    @Test func hexOffsetsAreTheAxisAndS2CIsIndented() {
        var view = HexStreamView()
        _ = view.begin(Self.flow, directions: .one(.serverToClient))
        let chunk = StreamChunk(
            direction: .serverToClient,
            offset: 0x2D,
            time: Self.t0,
            content: .bytes(Array("250 ok\r\n".utf8))
        )
        let lines = Self.text(view.render(chunk)).split(separator: "\n").map(String.init)
        #expect(
            lines == [
                "\ts2c [45, 53) 8 bytes, 09:21:03.847322",
                "\t0000002D  32 35 30 20 6f 6b 0d 0a"
                    + String(
                        repeating: " ",
                        count: 27
                    ) + "250 ok..",
            ]
        )
        #expect(HexStreamView.offsetText(0x1_0000_0000) == "100000000")
        // A hole is its heading alone; the next chunk's offsets start past it.
        #expect(
            Self.text(
                view.render(
                    StreamChunk(
                        direction: .serverToClient,
                        offset: 53,
                        time: Self.t0,
                        content: .missing(10)
                    )
                )
            ) == "\ts2c [53, 63) [10 bytes missing in capture file]\n"
        )
        #expect(Self.text(view.end()).hasSuffix("s2c: 8 bytes in 1 chunk, 10 bytes missing in 1 hole\n"))
    }

    @Test func yamlHasTsharksFieldsAndSeamsAxis() {
        var view = YAMLStreamView()
        let out = Self.text(view.rendered(Self.flow, directions: .both, chunks: [Self.request, Self.hole]))
        #expect(out.hasPrefix("# seam inspect: tcp.3, both directions (Wireshark: tcp.stream eq 3)\npeers:\n"))
        #expect(out.contains("  - peer: 0\n    host: 10.0.0.1\n    port: 40000\n    role: client\n"))
        #expect(out.contains("  - peer: 1\n    host: 10.0.0.2\n    port: 80\n    role: server\npackets:\n"))
        #expect(
            out.contains(
                """
                  - packet: 4
                    peer: 0
                    direction: c2s
                    offset: 0
                    length: 7
                    timestamp: 1591780863.847322941
                    data: !!binary |
                      R0VUIC8NCg==

                """
            )
        )
        #expect(out.contains("    length: 1380\n    timestamp: 1591780863.847322941\n"))
        #expect(out.contains("    missing: 1380  # [1380 bytes missing in capture file]\n"))
        #expect(!out.contains("packet: nil"))
    }

    @Test func yamlWrapsBase64At76AndWritesEmptyData() {
        var view = YAMLStreamView()
        _ = view.begin(Self.flow, directions: .both)
        let big = Self.text(
            view.render(
                StreamChunk(
                    direction: .clientToServer,
                    offset: 0,
                    time: Self.t0,
                    content: .bytes(
                        [UInt8](repeating: 0xFF, count: 100)
                    )
                )
            )
        )
        let dataLines = big.split(separator: "\n").filter { $0.hasPrefix("      ") }
        #expect(dataLines.map(\.count) == [6 + 76, 6 + 60])
        let empty = Self.text(
            view.render(
                StreamChunk(
                    direction: .clientToServer,
                    offset: 0,
                    time: Timestamp(nanoseconds: 5),
                    datagram: 0,
                    content: .bytes([])
                )
            )
        )
        #expect(empty.contains("    datagram: 0\n"))
        #expect(empty.contains("    timestamp: 0.000000005\n"))
        #expect(empty.hasSuffix("    data: !!binary \"\"\n"))
    }

    @Test func rawIsTheBytesAloneAndSkipsHoles() {
        var view = RawStreamView()
        let out = view.rendered(Self.flow, directions: .one(.clientToServer), chunks: [Self.request, Self.hole])
        #expect(out == Array("GET /\r\n".utf8))
    }

    @Test func udpChunksNameTheirDatagram() {
        let udp = FollowedFlow(
            id: FlowID(proto: .udp, index: 0),
            client: Endpoint("[::1]:5353")!,
            server: Endpoint("[::1]:53")!
        )
        var view = ASCIIStreamView()
        let out = Self.text(
            view.rendered(
                udp,
                chunks: [
                    StreamChunk(
                        direction: .clientToServer,
                        offset: 12,
                        time: Self.t0,
                        frame: 9,
                        datagram: 2,
                        content: .bytes(Array("hi".utf8))
                    )
                ]
            )
        )
        #expect(out.contains("Node 0: [::1]:5353 (client, sends c2s)"))
        #expect(out.contains("(Wireshark: udp.stream eq 0)"))
        #expect(out.contains("c2s datagram #2 [12, 14) 2 bytes, frame 9, 09:21:03.847322\nhi\n"))
        #expect(out.hasSuffix("c2s: 2 bytes in 1 datagram; s2c: 0 bytes in 0 datagrams\n"))
    }

    /// RFC 4648 §10's test vectors.
    @Test(arguments: [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ])
    func base64(_ plain: String, _ encoded: String) {
        #expect(Self.text(Base64.encode(Array(plain.utf8))) == encoded)
    }

    @Test func directionsParse() {
        #expect(FollowedDirections("both") == .both)
        #expect(FollowedDirections("c2s") == .one(.clientToServer))
        #expect(FollowedDirections("s2c") == .one(.serverToClient))
        #expect(FollowedDirections("up") == nil)
        #expect(FollowedDirections.one(.clientToServer).contains(.serverToClient) == false)
        #expect(StreamViewFormat(rawValue: "yaml") == .yaml)
    }
}
