import SeamCore
import Testing

@testable import SeamTrace

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Traces real programs (Python 3 peers, a multi-threaded C program) and checks the exact calls recorded.
@Suite("ProgramTracer", .serialized)
struct ProgramTracerTests {
    static let hasPython = TraceTestSupport.hasTool("python3")
    static let hasCC = TraceTestSupport.hasTool("cc")

    /// Calls of one connection, in time order.
    static func calls(_ calls: [SessionCall], connection: Int) -> [SessionCall] {
        calls.filter { $0.connection == connection }
    }

    /// "send 5", "recv 9/1024", "connect"… for compact exact comparisons.
    static func shape(_ calls: [SessionCall]) -> [String] {
        calls.map { call in
            switch call.kind {
            case .send: return "send \(call.length ?? -1)/\(call.bufferSize ?? -1)"
            case .recv: return "recv \(call.length ?? -1)/\(call.bufferSize ?? -1)"
            default: return call.kind.rawValue
            }
        }
    }

    /// The client's connection (the one with a connect) and the server's (the one with an accept).
    static func sides(_ calls: [SessionCall]) throws -> (client: [SessionCall], server: [SessionCall]) {
        let client = try #require(calls.first { $0.kind == .connect }).connection
        let server = try #require(calls.first { $0.kind == .accept }).connection
        return (Self.calls(calls, connection: client), Self.calls(calls, connection: server))
    }

    @Test(
        "sticky sender: send(hello), send(feng), one recv(1024) returns both", .enabled(if: hasPython),
        arguments: [false, true])
    func stickySender(nodelay: Bool) throws {
        let script = TraceTestSupport.fixtures + "/sticky_pair.py"
        let (outcome, calls) = try TraceTestSupport.trace(
            "python3", [script] + (nodelay ? ["--nodelay"] : []), name: "sticky\(nodelay)")
        #expect(outcome.exitStatus == 0)
        let (client, server) = try Self.sides(calls)
        #expect(Self.shape(client) == ["connect", "send 5/5", "send 4/4", "close"])
        #expect(Self.shape(server) == ["accept", "recv 9/1024", "close"])
        #expect(client.allSatisfy { $0.leg == .app && $0.transport == .tcp })
        // The option set before connect() is stated on the socket's next call.
        #expect(client[0].program?.options.noDelay == (nodelay ? 1 : nil))
        // Byte axes: the client's sends are c2s at 0 and 5; the server's recv is c2s at 0.
        #expect(
            client[1].direction == .clientToServer && client[1].offset == 0 && client[1].payload == Array("hello".utf8))
        #expect(
            client[2].direction == .clientToServer && client[2].offset == 5 && client[2].payload == Array("feng".utf8))
        #expect(server[1].direction == .clientToServer && server[1].offset == 0)
        #expect(server[1].payload == Array("hellofeng".utf8))
        // The 4-tuple the analyzer matches flows with: the same for both ends, in the direction of the data.
        let clientEnd = try #require(client[0].source)
        let serverEnd = try #require(client[0].destination)
        #expect(clientEnd.address == IPAddress("127.0.0.1") && serverEnd.address == IPAddress("127.0.0.1"))
        #expect(client[1].source == clientEnd && client[1].destination == serverEnd)
        #expect(server[0].source == clientEnd && server[0].destination == serverEnd)
        #expect(server[1].source == clientEnd && server[1].destination == serverEnd)
    }

    @Test("recv(2) cuts the stream into 2-byte reads; recv(10) takes all 9", .enabled(if: hasPython))
    func smallAndLargeReads() throws {
        let script = TraceTestSupport.fixtures + "/sticky_pair.py"
        let (_, small) = try TraceTestSupport.trace("python3", [script, "--recv", "2", "--reads", "5"], name: "r2")
        let smallServer = try Self.sides(small).server
        #expect(
            Self.shape(smallServer) == ["accept", "recv 2/2", "recv 2/2", "recv 2/2", "recv 2/2", "recv 1/2", "close"])
        #expect(smallServer.compactMap(\.offset) == [0, 2, 4, 6, 8])
        let (_, large) = try TraceTestSupport.trace("python3", [script, "--recv", "10"], name: "r10")
        #expect(Self.shape(try Self.sides(large).server) == ["accept", "recv 9/10", "close"])
    }

    @Test("UDP pair: sendto/recvfrom per datagram, a cut datagram says MSG_TRUNC", .enabled(if: hasPython))
    func udpPair() throws {
        let script = TraceTestSupport.fixtures + "/udp_pair.py"
        let (outcome, calls) = try TraceTestSupport.trace("python3", [script, "--recv", "8"])
        #expect(outcome.exitStatus == 0)
        #expect(calls.allSatisfy { $0.transport == .udp })
        let firstSend = try #require(calls.first { $0.kind == .send })
        let client = Self.calls(calls, connection: firstSend.connection)
        let server = calls.filter { $0.connection != firstSend.connection }
        #expect(Self.shape(client) == ["send 5/5", "send 12/12", "recv 2/64", "recv 2/64", "close"])
        #expect(Self.shape(server) == ["recv 5/8", "send 2/2", "recv 8/8", "send 2/2", "close"])
        #expect(server[2].program?.returnedFlags == .truncated)
        #expect(server[2].payload == Array("fengfeng".utf8))
        // The client is bound to 0.0.0.0; towards a loopback peer its datagrams leave from 127.0.0.1.
        #expect(client[0].source == server[0].source && client[0].destination == server[0].destination)
        #expect(client[0].source?.address == IPAddress("127.0.0.1"))
        #expect(client[0].direction == .clientToServer && server[1].direction == .serverToClient)
        #expect(client.compactMap(\.offset) == [0, 5, 0, 2])
    }

    @Test("multi-threaded C program: every call recorded once, offsets contiguous per socket", .enabled(if: hasCC))
    func concurrentCalls() throws {
        let binary = TraceTestSupport.temporaryPath("concurrent")
        defer { unlink(binary) }
        let compiled = try TraceTestSupport.run(
            ["cc", "-O1", "-pthread", "-o", binary, TraceTestSupport.fixtures + "/concurrent_sockets.c"])
        try #require(compiled.status == 0, "cc failed: \(compiled.err)")
        let (outcome, calls) = try TraceTestSupport.trace(binary, [], payload: false)
        #expect(outcome.exitStatus == 0)
        let clients = Set(calls.filter { $0.kind == .connect }.map(\.connection))
        let servers = Set(calls.filter { $0.kind == .accept }.map(\.connection))
        #expect(clients.count == 4 && servers.count == 4)
        let sizes = (0..<50).map { ($0 % 7 + 1) * 10 }
        for connection in clients {
            let mine = Self.calls(calls, connection: connection)
            let sends = mine.filter { $0.kind == .send }
            #expect(sends.compactMap(\.length) == sizes)
            #expect(Set(sends.compactMap { $0.program?.function }) == ["send", "write", "writev", "sendmsg"])
            #expect(sends.compactMap(\.offset) == sizes.indices.map { sizes[..<$0].reduce(0, +) }.map(UInt64.init))
            #expect(mine.filter { $0.kind == .shutdown }.count == 1 && mine.filter { $0.kind == .close }.count == 1)
            #expect(mine.filter { $0.kind == .recv }.compactMap(\.length) == [8])
        }
        for connection in servers {
            let reads = Self.calls(calls, connection: connection).filter { $0.kind == .recv }
            // Contiguous reads that add up to the client's bytes, then one recv of 0 (end of stream).
            var expected: UInt64 = 0
            for read in reads {
                #expect(read.offset == expected)
                expected += UInt64(read.length ?? 0)
            }
            #expect(expected == UInt64(sizes.reduce(0, +)) && reads.last?.length == 0)
            #expect(Set(reads.compactMap { $0.program?.function }) == ["recv", "read", "readv"])
        }
        // Every connection is one of the four pairs: the server sees the client's 4-tuple.
        let clientTuples = Set(calls.filter { $0.kind == .connect }.compactMap { $0.source })
        let serverTuples = Set(calls.filter { $0.kind == .accept }.compactMap { $0.source })
        #expect(clientTuples == serverTuples && clientTuples.count == 4)
    }

    @Test("the traced program's output and exit code are its own", .enabled(if: hasPython))
    func outputAndExitCodeUnchanged() throws {
        let seam = TraceTestSupport.buildDirectory + "/seam"
        try #require(access(seam, X_OK) == 0, "seam is not built in \(TraceTestSupport.buildDirectory)")
        let program = ["python3", "-c", "import sys; print('out line'); sys.stderr.write('err line\\n'); sys.exit(7)"]
        let plain = try TraceTestSupport.run(program, name: "plain")
        let traced = try TraceTestSupport.run([seam, "trace", "--method", "preload", "--quiet", "--"] + program, name: "traced")
        #expect(plain.status == 7 && traced.status == 7)
        #expect(traced.out == plain.out && traced.out == "out line\n")
        #expect(traced.err == plain.err)
    }

    @Test("a statically linked program is refused with a clear message, exit 1", .enabled(if: hasCC))
    func staticProgramRefused() throws {
        let seam = TraceTestSupport.buildDirectory + "/seam"
        try #require(access(seam, X_OK) == 0, "seam is not built in \(TraceTestSupport.buildDirectory)")
        let source = TraceTestSupport.temporaryPath("static.c")
        let binary = TraceTestSupport.temporaryPath("static")
        defer {
            unlink(source)
            unlink(binary)
        }
        let fd = open(source, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        _ = "int main(void) { return 0; }\n".withCString { write(fd, $0, strlen($0)) }
        close(fd)
        let compiled = try TraceTestSupport.run(["cc", "-static", "-o", binary, source], name: "cc")
        guard compiled.status == 0 else {
            print("skipped: cc -static failed (no static libc?): \(compiled.err)")
            return
        }
        #expect(ProgramLinkage.inspect(path: binary) == .staticallyLinked)
        let traced = try TraceTestSupport.run([seam, "trace", "--method", "preload", "--", binary], name: "static")
        #expect(traced.status == 1)
        #expect(traced.err.contains("statically linked") && traced.err.contains("LD_PRELOAD"))
    }

    @Test("seam trace --record also captures the program's segments (when permitted)", .enabled(if: hasPython))
    func captureAlongside() throws {
        let seam = TraceTestSupport.buildDirectory + "/seam"
        try #require(access(seam, X_OK) == 0, "seam is not built in \(TraceTestSupport.buildDirectory)")
        let path = TraceTestSupport.temporaryPath("captured.pcapng")
        defer { unlink(path) }
        let script = TraceTestSupport.fixtures + "/sticky_pair.py"
        let traced = try TraceTestSupport.run([seam, "trace", "--method", "preload", "--record", path, "--", "python3", script, "--nodelay"])
        #expect(traced.status == 0)
        if traced.err.contains("no capture") {
            print("skipped: capture not permitted here: \(traced.err)")
            return
        }
        let reader = try CaptureFileReader(path: path)
        var calls: [SessionCall] = []
        var payloadSizes: [Int] = []
        var decoder = PacketDecoder()
        while let record = try reader.next() {
            if record.linkType == .wiresharkUpperPDU {
                calls.append(try SessionCall.decode(record: record))
            } else if case .packet(let packet) = decoder.decode(record), case .tcp = packet.transport {
                if packet.payloadLength > 0 { payloadSizes.append(packet.payloadLength) }
            }
        }
        // With TCP_NODELAY each send leaves as its own segment; the one recv(1024) still returns both.
        #expect(payloadSizes == [5, 4])
        #expect(Self.shape(try Self.sides(calls).server) == ["accept", "recv 9/1024", "close"])
        #expect(reader.interfaces.count == 2)
    }

    @Test("a forked child is traced too: its calls carry its own pid", .enabled(if: hasPython))
    func forkedChild() throws {
        let script = TraceTestSupport.fixtures + "/forked_client.py"
        let (outcome, calls) = try TraceTestSupport.trace("python3", [script])
        #expect(outcome.exitStatus == 0)
        let (client, server) = try Self.sides(calls)
        #expect(Self.shape(client) == ["connect", "send 10/10", "close"])
        #expect(client[1].payload == Array("from-child".utf8))
        let childPID = try #require(client.first?.program?.pid)
        #expect(server.allSatisfy { $0.program?.pid != childPID })
        #expect(server.filter { $0.kind == .recv }.compactMap(\.length).reduce(0, +) == 10)
    }
}
