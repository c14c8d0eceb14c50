import Testing

@testable import SeamCore

@Suite("SessionCall")
struct SessionCallTests {
    static let time = Timestamp(seconds: 1_764_000_000, nanoseconds: 42)

    static let recvV4: SessionCall = {
        var call = SessionCall(
            kind: .recv, connection: 3, leg: .downstream, transport: .tcp, direction: .clientToServer, offset: 4096,
            length: 5, bufferSize: 1024, source: Endpoint("127.0.0.1:51000"), destination: Endpoint("127.0.0.1:9000"),
            timestamp: time, payload: Array("hello".utf8))
        call.extra = [CommentWord("delay", "400")]
        return call
    }()

    static let sendV6: SessionCall = {
        var call = SessionCall(
            kind: .send, connection: 12, leg: .upstream, transport: .udp, direction: .serverToClient, offset: 0,
            length: 3, source: Endpoint("[::1]:9001"), destination: Endpoint("[fe80::1:2]:40000"), timestamp: time,
            payload: [0, 1, 2])
        call.truncatedBytes = 976
        call.extra = [CommentWord("note", "a b=c%")]
        return call
    }()

    static let connectError: SessionCall = {
        var call = SessionCall(kind: .error, connection: 1, leg: .upstream, timestamp: time)
        call.failure = CallFailure(errorNumber: ErrorNumber(111))
        return call
    }()

    static let tracedSend: SessionCall = {
        var call = SessionCall(
            kind: .send, connection: 2, leg: .app, direction: .clientToServer, offset: 5, length: 4, bufferSize: 4,
            timestamp: time)
        var program = ProgramCall(pid: 4242, tid: 4243, command: "python3", function: "sendto")
        program.fileDescriptor = 7
        program.entryTime = Timestamp(nanoseconds: time.nanoseconds - 1500)
        program.returnTime = time
        program.flags = [.more, .noSignal]
        program.options.noDelay = 1
        program.kernel = KernelSocketState(noDelay: false, cork: false, packetsInFlight: 1, mss: 65483, congestionWindow: 10)
        call.program = program
        call.isPayloadCut = true
        return call
    }()

    static let watchedRecv: SessionCall = {
        var call = SessionCall(
            kind: .recv, connection: 4, leg: .app, direction: .clientToServer, offset: 0, length: 9, bufferSize: 1024,
            timestamp: time)
        var program = ProgramCall(pid: 77, tid: 78, command: "gopair", function: "read")
        program.kernel = KernelSocketState(
            noDelay: true, cork: false, packetsInFlight: 0, mss: 32768, congestionWindow: 10, unsentBytes: 0,
            unreadBytes: 9)
        call.program = program
        return call
    }()

    @Test("comment words in the documented form")
    func commentForm() {
        #expect(
            Self.recvV4.commentWords
                == "call=recv conn=3 leg=downstream dir=c2s off=4096 len=5 buf=1024 proto=tcp "
                + "src=127.0.0.1:51000 dst=127.0.0.1:9000 delay=400")
        #expect(
            Self.connectError.commentWords == "call=error conn=1 leg=upstream proto=tcp error=ECONNREFUSED errno=111")
        #expect(
            Self.tracedSend.commentWords.hasSuffix(
                "payload-cut=1 fn=sendto pid=4242 tid=4243 comm=python3 fd=7 took-ns=1500 flags=MSG_NOSIGNAL|MSG_MORE "
                    + "nodelay=1 k-nodelay=0 k-cork=0 k-inflight=1 k-mss=65483 k-cwnd=10"))
        #expect(Self.sendV6.commentWords.hasSuffix("truncated=976 note=a%20b%3Dc%25"))
        #expect(
            Self.watchedRecv.commentWords.hasSuffix(
                "comm=gopair k-nodelay=1 k-cork=0 k-inflight=0 k-mss=32768 k-cwnd=10 k-unsent=0 k-unread=9"))
    }

    /// A send stamped at its entry (as `seam trace` writes them), from sendmmsg, moved in the kernel.
    static let entryStampedSend: SessionCall = {
        var call = SessionCall(
            kind: .send, connection: 4, leg: .app, transport: .udp, direction: .clientToServer, offset: 0, length: 3,
            bufferSize: 3, timestamp: time)
        var program = ProgramCall(pid: 10, tid: 11, function: "sendmmsg")
        program.entryTime = time
        program.returnTime = Timestamp(nanoseconds: time.nanoseconds + 2500)
        program.dataPath = .kernel
        program.batch = ProgramCall.Batch(index: 0, count: 2)
        call.program = program
        return call
    }()

    @Test("an entry-stamped call says stamp=entry; data and batch words")
    func entryStampWords() throws {
        #expect(Self.entryStampedSend.commentWords.hasSuffix("took-ns=2500 stamp=entry data=kernel batch=0/2"))
        let parsed = try SessionCall(parsingComment: Self.entryStampedSend.commentWords, timestamp: Self.time)
        #expect(parsed.program?.entryTime == Self.time)
        #expect(parsed.program?.returnTime == Timestamp(nanoseconds: Self.time.nanoseconds + 2500))
        #expect(throws: SessionFormatError.self) {
            try SessionCall(parsingComment: "call=send conn=1 leg=app pid=1 batch=2/2", timestamp: Self.time)
        }
    }

    @Test(
        "comment words round trip", arguments: [recvV4, sendV6, connectError, tracedSend, entryStampedSend, watchedRecv])
    func commentRoundTrip(call: SessionCall) throws {
        var expected = call
        expected.payload = nil  // the payload is not part of the words
        let parsed = try SessionCall(parsingComment: call.commentWords, timestamp: Self.time)
        #expect(parsed == expected)
    }

    @Test("unknown words go to extra in order")
    func unknownWords() throws {
        let call = try SessionCall(
            parsingComment: "zeta=1 call=close conn=2 leg=app alpha=2", timestamp: Self.time)
        #expect(call.kind == .close)
        #expect(call.leg == .app)
        #expect(call.extra == [CommentWord("zeta", "1"), CommentWord("alpha", "2")])
        #expect(call.extra.last?.value == "2")
    }

    @Test(
        "malformed comments are clear errors",
        arguments: [
            ("conn=1 leg=app", "missing call= word"),
            ("call=recv leg=app", "missing conn= word"),
            ("call=recv conn=1", "missing leg= word"),
            ("call=peek conn=1 leg=app", "bad value 'peek' for call="),
            ("call=recv conn=x leg=app", "bad value 'x' for conn="),
            ("call=recv conn=1 leg=app off=-5", "bad value '-5' for off="),
            ("call=recv conn=1 leg=app dir=up", "bad value 'up' for dir="),
            ("call=recv conn=1 leg=app src=nowhere", "bad value 'nowhere' for src="),
            ("call=recv conn=1 leg=app oops", "word 'oops' is not key=value"),
            ("call=recv conn=1 conn=2 leg=app", "word 'conn' appears twice"),
        ])
    func malformed(comment: String, problem: String) {
        do {
            _ = try SessionCall(parsingComment: comment, timestamp: Self.time)
            Issue.record("accepted '\(comment)'")
        } catch let error as SessionFormatError {
            #expect(error.problem == problem)
            #expect(error.description.contains(comment))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("exported PDU bytes: dissector name, addresses, port type, ports, end, payload")
    func exportedPDULayout() {
        let bytes = Self.recvV4.exportedPDU()
        let info = Array("recv c2s [4096,4101) 5 B (buf 1024) \"hello\"".utf8) + [0]  // padded to 44 bytes
        let expected: [UInt8] =
            [0, 12, 0, 4] + Array("data".utf8)
            + [0, 33, 0, 4] + Array("seam".utf8)
            + [0, 36, 0, 44] + info
            + [0, 20, 0, 4, 127, 0, 0, 1]
            + [0, 21, 0, 4, 127, 0, 0, 1]
            + [0, 24, 0, 4, 0, 0, 0, 2]
            + [0, 25, 0, 4, 0, 0, 0xC7, 0x38]
            + [0, 26, 0, 4, 0, 0, 0x23, 0x28]
            + [0, 0, 0, 0] + Array("hello".utf8)
        #expect(bytes == expected)
    }

    @Test("exported PDU round trip through a record, IPv4 and IPv6", arguments: [recvV4, sendV6, connectError])
    func exportedPDURoundTrip(call: SessionCall) throws {
        let record = PacketRecord(
            timestamp: call.timestamp, linkType: .wiresharkUpperPDU, originalLength: 0, data: call.exportedPDU()[...],
            comments: [call.commentWords])
        #expect(try SessionCall.decode(record: record) == call)
    }

    @Test("decode rejects other link types, missing words and cut tags")
    func decodeErrors() {
        let data = Self.recvV4.exportedPDU()
        let words = [Self.recvV4.commentWords]
        func record(_ linkType: LinkType, _ bytes: [UInt8], _ comments: [String]) -> PacketRecord {
            PacketRecord(
                timestamp: Self.time, linkType: linkType, originalLength: 0, data: bytes[...], comments: comments)
        }
        #expect(throws: SessionFormatError.self) { try SessionCall.decode(record: record(.ethernet, data, words)) }
        #expect(throws: SessionFormatError.self) {
            try SessionCall.decode(record: record(.wiresharkUpperPDU, data, []))
        }
        for cut in [1, 5, 13, 40] {
            #expect(throws: SessionFormatError.self) {
                try SessionCall.decode(record: record(.wiresharkUpperPDU, Array(data.prefix(cut)), words))
            }
        }
    }

    @Test("tshark dissects the exported PDUs with the right addresses and ports", .enabled(if: TestFiles.tshark != nil))
    func tsharkDissects() throws {
        let tshark = try #require(TestFiles.tshark)
        let path = TestFiles.path("calls.pcapng")
        let writer = try PcapngWriter(path: path, sectionComment: SessionSettings().description)
        let interface = try writer.addInterface(linkType: .wiresharkUpperPDU, name: "seam-proxy")
        for call in [Self.recvV4, Self.sendV6, Self.connectError] {
            try writer.writePacket(
                interface: interface, timestamp: call.timestamp, data: call.exportedPDU(), comment: call.commentWords)
        }
        try writer.close()
        let result = try TestFiles.run(
            tshark,
            [
                "-r", path, "-T", "fields", "-E", "separator=|", "-e", "exported_pdu.prot_name",
                "-e", "exported_pdu.ipv4_src", "-e", "exported_pdu.ipv6_dst", "-e", "exported_pdu.port_type",
                "-e", "exported_pdu.src_port", "-e", "exported_pdu.dst_port", "-e", "data.data", "-e", "frame.comment",
            ])
        #expect(result.status == 0)
        let lines = result.output.split(separator: "\n").map(String.init)
        try #require(lines.count == 3)
        #expect(lines[0] == "data|127.0.0.1||2|51000|9000|68656c6c6f|\(Self.recvV4.commentWords)")
        #expect(lines[1] == "data||fe80::1:2|3|9001|40000|000102|\(Self.sendV6.commentWords)")
        #expect(lines[2] == "data|||||||\(Self.connectError.commentWords)")
        // And Seam reads its own file back.
        let records = try TestFiles.readAll(path: path).records
        #expect(
            try records.map { try SessionCall.decode(record: $0) } == [Self.recvV4, Self.sendV6, Self.connectError])
    }
}
