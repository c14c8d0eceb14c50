import Foundation
import SeamCore
import Testing

/// Every finding kind and cause from a real loopback scenario: Python peers talk through `seam proxy --record`
/// (with its sniffer), and `seam report`'s analyzer must say where each boundary went and why.
@Suite(
    "report scenarios through the proxy", .serialized,
    .enabled(if: SeamProcess.binary != nil, "needs the seam binary"),
    .enabled(if: CaptureTestSupport.canCaptureOnLoopback, "needs root or CAP_NET_RAW for the segment layer"),
    .enabled(if: Python.path != nil, "needs python3 for the peers")
)
struct ReportScenarioTests {
    /// The peers: `server PORT` (TCP: read to EOF, then close) / `udpserver PORT`, and `client MODE PORT`.
    static let peers = #"""
        import socket, struct, sys, time
        role, port = sys.argv[1], int(sys.argv[-1])
        if role == "server":
            s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", port)); s.listen(1); print("ready", flush=True)
            c, _ = s.accept()
            while c.recv(65536): pass
            c.close(); sys.exit(0)
        if role == "udpserver":
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", port)); print("ready", flush=True)
            data, peer = s.recvfrom(65536); s.sendto(b"ok", peer); sys.exit(0)
        mode = sys.argv[2]
        if mode == "udp2000":
            c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); c.settimeout(5)
            c.sendto(b"d" * 2000, ("127.0.0.1", port)); c.recvfrom(100); sys.exit(0)
        c = socket.create_connection(("127.0.0.1", port))
        if mode == "msgmore":
            c.send(b"hello\n", socket.MSG_MORE); c.send(b"feng\n")
        elif mode == "backlog":
            c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            c.send(b"hello\n"); time.sleep(0.05); c.send(b"feng\n")
        elif mode == "bigline":
            c.sendall(b"x" * 2999 + b"\n")
        elif mode == "bigmsg":
            c.sendall(struct.pack(">I", 300000) + b"m" * 300000)
        elif mode == "struct50":
            c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            for i in range(50):
                body = b"message %d" % i
                c.send(struct.pack("i", len(body)) + body)
        time.sleep(0.6); c.shutdown(socket.SHUT_WR)
        while c.recv(65536): pass
        c.close()
        """#

    /// Runs one scenario and returns the report of its session.
    func play(_ mode: String, proxy options: [String], framing: FramingSpec?, udp: Bool = false) throws -> BoundaryReport {
        let directory = try SeamProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let script = directory + "/peers.py"
        try Self.peers.write(toFile: script, atomically: true, encoding: .utf8)
        let serverPort = try Self.freePort(udp: udp)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: Python.path!)
        server.arguments = [script, udp ? "udpserver" : "server", "\(serverPort)"]
        let ready = Pipe()
        server.standardOutput = ready
        try server.run()
        _ = ready.fileHandleForReading.availableData  // "ready"
        let path = directory + "/s.pcapng"
        let (proxy, port) = try ProxyCaptureTests.startProxy(
            ["--to", "127.0.0.1:\(serverPort)", "--record", path, "--connections", "1"] + (udp ? ["--udp", "--duration", "2"] : [])
                + options, in: directory)
        let client = Process()
        client.executableURL = URL(fileURLWithPath: Python.path!)
        client.arguments = [script, "client", mode, "\(port)"]
        try client.run()
        client.waitUntilExit()
        server.waitUntilExit()
        #expect(client.terminationStatus == 0)
        #expect(proxy.waitForExit() == 0, "\(proxy.stderr)")
        return try ReportBuilder.build(path: path, options: ReportOptions(framing: framing))
    }

    static func freePort(udp: Bool) throws -> UInt16 {
        let fd = socket(AF_INET, Int32(udp ? SOCK_DGRAM.rawValue : SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 ? getsockname(fd, $0, &length) : -1 }
        }
        return UInt16(bigEndian: address.sin_port)
    }

    /// The client→server direction of the client↔proxy leg.
    func downstream(_ report: BoundaryReport) throws -> DirectionReport {
        try #require(report.flows.first { $0.leg == .downstream }).clientToServer
    }

    @Test func twoQuickSendsWithMSGMOREAreCoalescedByTheSender() throws {
        let report = try play("msgmore", proxy: [], framing: .line)
        let c2s = try downstream(report)
        #expect(c2s.messageCount == 2)
        #expect(c2s.observations.contains { $0.kind == .coalesced && $0.layer == .segment && $0.cause == .senderCoalescing })
    }

    @Test func aReaderDelayed400msTakesSeparateSegmentsTogether() throws {
        let report = try play("backlog", proxy: ["--recv-delay", "400"], framing: .line)
        let c2s = try downstream(report)
        #expect(c2s.segmentCount == 2)
        let finding = try #require(c2s.observations.first)
        #expect(finding.kind == .coalesced && finding.layer == .recv && finding.cause == .receiverBacklog)
    }

    @Test func aLongLineReadWithRecv1024IsSplitByTheBuffer() throws {
        let report = try play("bigline", proxy: ["--recv-size", "1024"], framing: .line)
        let c2s = try downstream(report)
        #expect(c2s.recvCount == 3)
        #expect(c2s.observations.contains { $0.kind == .split && $0.layer == .recv && $0.cause == .recvBuffer })
    }

    @Test func a300kBMessageIsSplitAtTheSegmentLayerWithAProvenCause() throws {
        let framing = try FramingSpec(parsing: "len:u32be")
        let report = try play("bigmsg", proxy: [], framing: framing)
        let c2s = try downstream(report)
        #expect(c2s.messageCount == 1)
        #expect((c2s.segmentCount ?? 0) >= 2)
        // On loopback the reader's window, not the MSS (65495), limits the segments; whichever it is, the
        // cause must come with its proof: a segment at the MSS, or a full or zero window.
        let split = try #require(c2s.observations.first { $0.kind == .split && $0.layer == .segment })
        switch split.evidence {
        case .splitOverSegments(_, _, .reachedMSS)?: #expect(split.cause == .mss)
        case .splitOverSegments(_, _, .windowLimited)?: #expect(split.cause == .window)
        default: #expect(split.cause != .mss && split.cause != .window, "\(split)")
        }
    }

    @Test func fiftyStructFramedMessagesAreCountedExactly() throws {
        let report = try play("struct50", proxy: [], framing: .pythonStruct)
        for flow in report.flows where flow.proto == .tcp {
            #expect(flow.clientToServer.messageCount == 50, "\(flow.id)")
            #expect(flow.clientToServer.timeline.messages.allSatisfy { $0.isComplete })
        }
    }

    @Test func aUDPDatagramLongerThanRecvfromIsTruncated() throws {
        let report = try play("udp2000", proxy: ["--recv-size", "1024"], framing: nil, udp: true)
        let c2s = try downstream(report)
        let finding = try #require(c2s.observations.first { $0.kind == .truncated })
        #expect(finding.layer == .recv && finding.cause == .recvfromSize)
        #expect(finding.isWhatIf, "the proxy relays whole datagrams: its recv-size is a what-if")
        #expect(finding.evidence == .wouldTruncate(asked: 1024, datagramBytes: 2000))
        #expect(report.verdicts.isEmpty, "no program truncated anything")
    }
}

enum Python {
    static let path: String? = ["/usr/bin/python3", "/usr/local/bin/python3"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
}
