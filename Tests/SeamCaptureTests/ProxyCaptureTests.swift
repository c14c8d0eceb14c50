import Foundation
import SeamCore
import Testing

@testable import SeamCapture

/// `seam proxy --record` with its sniffer, as a user runs it: the built binary relays a known exchange between a
/// client and a server of this test, and the session file must hold the calls and the kernel's segments of both
/// legs, tied together by their 4-tuples.
@Suite("seam proxy with capture", .serialized, .enabled(if: SeamProcess.binary != nil, "needs the seam binary"))
struct ProxyCaptureTests {
    static let request = Array("PING one\nPING two, a little longer\n".utf8) + Array(repeating: 0x5a, count: 3000)
    static let reply = Array("PONG\n".utf8) + (0..<9000).map { UInt8(truncatingIfNeeded: $0 &* 7) }

    /// What one session file holds, read back with SeamCore.
    struct Session {
        var comment: String
        var linkTypes: [LinkType]
        var calls: [SessionCall] = []
        var flows: [FlowState] = []
        var bytes: [FlowID: [Direction: [UInt8]]] = [:]
        var datagrams: [FlowID: [Direction: [[UInt8]]]] = [:]
    }

    /// Collects each flow's reassembled bytes (TCP) or datagrams (UDP) per direction.
    final class Collector: StreamConsumer {
        var bytes: [FlowID: [Direction: [UInt8]]] = [:]
        var datagrams: [FlowID: [Direction: [[UInt8]]]] = [:]
        func tcpData(
            _ data: ArraySlice<UInt8>, at offset: UInt64, direction: Direction, time: Timestamp, in flow: FlowState
        ) {
            bytes[flow.id, default: [:]][direction, default: []] += data
        }
        func udpDatagram(_ datagram: UDPDatagramEvent, payload: ArraySlice<UInt8>, in flow: FlowState) {
            datagrams[flow.id, default: [:]][datagram.direction, default: []].append(Array(payload))
        }
    }

    static func read(_ path: String) throws -> Session {
        let collector = Collector()
        let table = FlowTable(consumers: [collector])
        let scanner = try CaptureScanner(path: path, table: table)
        var calls: [SessionCall] = []
        var failures: [String] = []
        scanner.onUpperPDU = { record in
            do { calls.append(try SessionCall.decode(record: record)) } catch { failures.append("\(error)") }
        }
        scanner.run()
        #expect(scanner.failure == nil)
        #expect(failures.isEmpty, "\(failures)")
        var session = Session(
            comment: scanner.reader.sectionComments.first ?? "", linkTypes: scanner.reader.interfaces.map(\.linkType))
        session.calls = calls
        session.flows = table.flows
        session.bytes = collector.bytes
        session.datagrams = collector.datagrams
        return session
    }

    /// Starts `seam proxy --listen 127.0.0.1:0 ARGUMENTS` and returns the child and its listening port.
    static func startProxy(
        _ arguments: [String], in directory: String, environment: [String: String] = [:], launcher: [String] = [],
        binary: String? = nil
    ) throws -> (SeamProcess, UInt16) {
        let child = try SeamProcess(
            ["proxy", "--listen", "127.0.0.1:0", "--quiet"] + arguments, environment: environment, launcher: launcher,
            binary: binary, in: directory)
        try #require(child.waitForStderr(containing: "listening on "), "the proxy did not start: \(child.stderr)")
        let line = try #require(child.stderrLines.first { $0.contains("listening on ") })
        let afterColon = line.split(separator: "listening on 127.0.0.1:").last ?? ""
        let port = try #require(UInt16(afterColon.prefix { $0.isNumber }), "no port in \(line)")
        return (child, port)
    }

    @Test(
        "a TCP exchange: two flows (both legs) with the exact bytes, tied to the accept and connect calls; tshark",
        .enabled(if: CaptureTestSupport.canCaptureOnLoopback, "needs root or CAP_NET_RAW")
    )
    func tcpExchangeIsCapturedOnBothLegs() throws {
        let directory = try SeamProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = try SocketPeer.tcpServer(replying: Self.reply)
        let path = directory + "/s.pcapng"
        let (child, port) = try Self.startProxy(
            ["--to", "127.0.0.1:\(server.port)", "--record", path, "--connections", "1"], in: directory)
        let answer = try SocketPeer.tcpClient(port: port, sending: Self.request)
        #expect(answer == Self.reply)
        #expect(child.waitForExit() == 0, "\(child.stderr)")
        #expect(server.received() == Self.request)

        let session = try Self.read(path)
        #expect(session.linkTypes == [.wiresharkUpperPDU, .ethernet])
        #expect(session.comment.contains(" capture=lo filter=tcp%20and%20"), "\(session.comment)")
        #expect(session.comment.contains("listen=127.0.0.1:\(port)"), "\(session.comment)")
        let tcpFlows = session.flows.filter { $0.proto == .tcp }
        try #require(tcpFlows.count == 2, "flows: \(session.flows.map { "\($0.client) → \($0.server)" })")

        let accept = try #require(session.calls.first { $0.kind == .accept })
        let connect = try #require(session.calls.first { $0.kind == .connect })
        #expect(accept.connection == connect.connection)
        #expect(accept.leg == .downstream && connect.leg == .upstream)
        // Each call's 4-tuple is a captured flow's: that is how the analyzer ties segments to calls.
        let downstream = try #require(
            tcpFlows.first { $0.client == accept.source && $0.server == accept.destination },
            "no flow for accept \(String(describing: accept.source)) → \(String(describing: accept.destination))")
        let upstream = try #require(
            tcpFlows.first { $0.client == connect.source && $0.server == connect.destination },
            "no flow for connect \(String(describing: connect.source)) → \(String(describing: connect.destination))")
        #expect(downstream.server.port == port)
        #expect(upstream.server.port == server.port)
        for flow in [downstream, upstream] {
            let c2s = session.bytes[flow.id]?[.clientToServer] ?? []
            let s2c = session.bytes[flow.id]?[.serverToClient] ?? []
            let (c2sExact, s2cExact) = (c2s == Self.request, s2c == Self.reply)
            #expect(c2sExact, "\(flow.id) c2s: \(c2s.count) bytes, expected \(Self.request.count)")
            #expect(s2cExact, "\(flow.id) s2c: \(s2c.count) bytes, expected \(Self.reply.count)")
            #expect(flow.clientToServer.sawSYN && flow.clientToServer.gaps == 0 && flow.serverToClient.gaps == 0)
            #expect(flow.clientToServer.sawFIN && flow.serverToClient.sawFIN, "the capture ran past the last FIN")
        }
        // The calls' payload on each leg is the same bytes.
        let sent = session.calls.filter { $0.kind == .send && $0.leg == .upstream }.flatMap { $0.payload ?? [] }
        #expect(sent == Self.request)

        // The capture's statistics: an ISB on the capture interface with no drops, and the summary says so.
        let statistics = try #require(PcapngStatistics(path: path))
        #expect(statistics.dropped == 0)

        guard
            let tshark = try SeamProcess.output(
                of: "tshark", ["-r", path, "-T", "fields", "-e", "frame.interface_id", "-e", "frame.protocols"])
        else {
            print("skipping the tshark check: tshark not installed")
            return
        }
        let lines = tshark.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("0\t") && $0.contains("exported_pdu") }, "\(tshark.prefix(400))")
        #expect(lines.contains { $0.hasPrefix("1\t") && $0.contains("eth:ethertype:ip:tcp") }, "\(tshark.prefix(400))")
    }

    @Test(
        "a fixed port: a client that connects the moment the port listens is captured from its SYN",
        .enabled(if: CaptureTestSupport.canCaptureOnLoopback, "needs root or CAP_NET_RAW")
    )
    func earlyClientIsCapturedFromItsSYN() throws {
        let directory = try SeamProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = try SocketPeer.tcpServer(replying: Self.reply)
        let port = try SocketPeer.freePort()
        let path = directory + "/e.pcapng"
        let child = try SeamProcess(
            ["proxy", "--listen", "127.0.0.1:\(port)", "--quiet", "--to", "127.0.0.1:\(server.port)", "--record", path,
             "--connections", "1"], in: directory)
        // Connect as soon as the kernel accepts connections on the port, without waiting for the announcement.
        var answer: [UInt8]?
        let deadline = Date().addingTimeInterval(10)
        while answer == nil && Date() < deadline {
            answer = try? SocketPeer.tcpClient(port: port, sending: Self.request)
            if answer == nil { usleep(1_000) }
        }
        #expect(answer == Self.reply)
        #expect(child.waitForExit() == 0, "\(child.stderr)")
        let session = try Self.read(path)
        // Attempts before the port listened were refused (SYN, RST): the accepted client is the accept call's.
        let accept = try #require(session.calls.first { $0.kind == .accept })
        let downstream = try #require(
            session.flows.last { $0.client == accept.source && $0.server == accept.destination })
        #expect(downstream.server.port == port)
        #expect(downstream.clientToServer.sawSYN && !downstream.clientIsGuessed)
        let captured = session.bytes[downstream.id]?[.clientToServer] ?? []
        let exact = captured == Self.request
        #expect(exact, "\(captured.count) bytes captured of \(Self.request.count)")
    }

    @Test(
        "a UDP exchange: the datagrams of both legs are in the session",
        .enabled(if: CaptureTestSupport.canCaptureOnLoopback, "needs root or CAP_NET_RAW")
    )
    func udpExchangeIsCapturedOnBothLegs() throws {
        let directory = try SeamProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = try SocketPeer.udpEchoServer()
        let path = directory + "/u.pcapng"
        let (child, port) = try Self.startProxy(
            ["--udp", "--to", "127.0.0.1:\(server.port)", "--record", path], in: directory)
        let messages = [Array("one".utf8), Array("two two".utf8), Array(repeating: 0x33, count: 1200)]
        let echoes = try SocketPeer.udpClient(port: port, sending: messages)
        #expect(echoes == messages)
        child.send(SIGINT)
        #expect(child.waitForExit() == 0, "\(child.stderr)")

        let session = try Self.read(path)
        #expect(session.comment.contains(" capture=lo filter=udp%20and%20"), "\(session.comment)")
        let udpFlows = session.flows.filter { $0.proto == .udp }
        try #require(udpFlows.count == 2, "flows: \(session.flows.map { "\($0.client) → \($0.server)" })")
        let downstream = try #require(udpFlows.first { $0.server.port == port })
        let upstream = try #require(udpFlows.first { $0.server.port == server.port })
        for flow in [downstream, upstream] {
            #expect(session.datagrams[flow.id]?[.clientToServer] == messages, "\(flow.id) c2s")
            #expect(session.datagrams[flow.id]?[.serverToClient] == messages, "\(flow.id) s2c")
        }
        let mapping = try #require(session.calls.first { $0.kind == .connect && $0.transport == .udp })
        #expect(upstream.client == mapping.source && upstream.server == mapping.destination)
    }

    @Test("without the privilege (simulated): one notice on stderr, the relay works, the session has calls only")
    func withoutPrivilegeWarnsAndRelays() throws {
        let directory = try SeamProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = try SocketPeer.tcpServer(replying: Self.reply)
        let path = directory + "/n.pcapng"
        let (child, port) = try Self.startProxy(
            ["--to", "127.0.0.1:\(server.port)", "--record", path, "--connections", "1"], in: directory,
            environment: ["SEAM_NO_CAPTURE_PRIVILEGE": "1"])
        #expect(try SocketPeer.tcpClient(port: port, sending: Self.request) == Self.reply)
        #expect(child.waitForExit() == 0, "\(child.stderr)")
        let notices = child.stderrLines.filter { $0.contains("no segments will be recorded") }
        #expect(notices.count == 1, "\(child.stderr)")
        #expect(notices.first?.contains("setcap cap_net_raw,cap_net_admin+eip") == true)
        let session = try Self.read(path)
        #expect(session.linkTypes == [.wiresharkUpperPDU])
        #expect(session.comment.contains(" capture=off reason=no-privilege"), "\(session.comment)")
        #expect(session.flows.isEmpty)
        #expect(session.calls.contains { $0.kind == .accept })
    }

    @Test(
        "a real unprivileged process (setpriv to nobody): the notice, and the relay still works",
        .enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"), "needs root")
    )
    func realUnprivilegedProcessWarnsAndRelays() throws {
        let directory = try SeamProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        chmod(directory, 0o777)
        // nobody must be able to run the binary: its build directory may be private to root.
        guard let binary = SeamProcess.binary, access(binary, X_OK) == 0 else { return }
        let copy = directory + "/seam"
        try FileManager.default.copyItem(atPath: binary, toPath: copy)
        chmod(copy, 0o755)
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        probe.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", copy, "--help"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        try probe.run()
        probe.waitUntilExit()
        guard probe.terminationStatus == 0 else {
            print("skipping the setpriv run: nobody cannot run a copy of the binary in \(directory)")
            return
        }
        let server = try SocketPeer.tcpServer(replying: Self.reply)
        let path = directory + "/p.pcapng"
        let (child, port) = try Self.startProxy(
            ["--to", "127.0.0.1:\(server.port)", "--record", path, "--connections", "1"], in: directory,
            launcher: ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"], binary: copy)
        #expect(try SocketPeer.tcpClient(port: port, sending: Self.request) == Self.reply)
        #expect(child.waitForExit() == 0, "\(child.stderr)")
        #expect(child.stderrLines.filter { $0.contains("no segments will be recorded") }.count == 1, "\(child.stderr)")
        #expect(try Self.read(path).comment.contains(" capture=off reason=no-privilege"))
    }

    @Test("--no-capture records calls only and says nothing about capturing")
    func noCaptureIsQuiet() throws {
        let directory = try SeamProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = try SocketPeer.tcpServer(replying: Self.reply)
        let path = directory + "/o.pcapng"
        let (child, port) = try Self.startProxy(
            ["--to", "127.0.0.1:\(server.port)", "--record", path, "--connections", "1", "--no-capture"],
            in: directory)
        #expect(try SocketPeer.tcpClient(port: port, sending: Self.request) == Self.reply)
        #expect(child.waitForExit() == 0, "\(child.stderr)")
        #expect(!child.stderr.contains("capture"), "\(child.stderr)")
        let session = try Self.read(path)
        #expect(session.comment.contains(" capture=off reason=disabled"))
        #expect(session.linkTypes == [.wiresharkUpperPDU])
    }

    @Test("-i without --record is a usage error (exit 2)")
    func interfaceNeedsRecord() throws {
        let directory = try SeamProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let child = try SeamProcess(["proxy", "--to", "127.0.0.1:9", "-i", "lo"], in: directory)
        #expect(child.waitForExit() == 2)
        #expect(child.stderr.contains("need --record"), "\(child.stderr)")
    }
}
