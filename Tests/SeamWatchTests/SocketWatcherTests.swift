import SeamCore
import SeamTestSupport
import Testing

@testable import SeamWatch

#if canImport(Glibc)
import Glibc
#endif

extension WatchTests {
    /// Watches real programs with the BPF probes (root or CAP_BPF+CAP_PERFMON; skipped elsewhere with the
    /// reason) and checks the exact calls recorded. Serialized: a watch follows this process's children.
    @Suite("SocketWatcher", .enabled(if: WatchTestSupport.canWatch, "\(WatchTestSupport.bpfProblem ?? "")"))
    struct SocketWatcherTests {
        static let hasPython = WatchTestSupport.hasTool("python3")
        typealias Support = WatchTestSupport

        @Test(
            "sticky pair: the same calls as seam trace records, with pid, comm and the kernel's TCP state",
            .enabled(if: hasPython),
            arguments: [false, true]
        )
        func stickyPair(nodelay: Bool) throws {
            let script = Support.fixtures + "/trace/sticky_pair.py"
            let (outcome, session) = try Support.watch(
                ["python3", script] + (nodelay ? ["--nodelay"] : []),
                name: "sticky\(nodelay)"
            )
            #expect(outcome.exitStatus == 0 && outcome.ending == .programExited)
            #expect(outcome.losses.isEmpty)
            let calls = Support.calls(session, pid: outcome.programPid)
            let (client, server) = try Support.sides(calls)
            #expect(Support.shape(client) == ["connect", "send 5/5", "send 4/4", "close"])
            #expect(Support.shape(server) == ["accept", "recv 9/1024", "close"])
            #expect(calls.allSatisfy { $0.leg == .app && $0.transport == .tcp && $0.program?.command == "python3" })
            #expect(client[1].direction == .clientToServer && client[1].offset == 0)
            #expect(client[1].payload == Array("hello".utf8) && client[1].program?.function == "send")
            #expect(client[2].direction == .clientToServer && client[2].offset == 5)
            #expect(client[2].payload == Array("feng".utf8))
            #expect(server[1].direction == .clientToServer && server[1].offset == 0)
            #expect(server[1].payload == Array("hellofeng".utf8))
            // The client's endpoints name the same flow from both sides.
            #expect(client[0].source == server[0].source && client[0].destination == server[0].destination)
            // The kernel's state at the send: TCP_NODELAY as the program set it; at the late recv, all 9 bytes
            // had been waiting.
            let kernel = try #require(client[2].program?.kernel)
            #expect(kernel.noDelay == nodelay && !kernel.cork && kernel.mss > 0 && kernel.congestionWindow > 0)
            #expect(server[1].program?.kernel?.unreadBytes == 9)
            // Entry before return, both in the session's clock (near now).
            for call in calls {
                let entry = try #require(call.program?.entryTime)
                #expect(entry <= call.timestamp)
                #expect(abs(call.timestamp.nanoseconds - Timestamp.now().nanoseconds) < 60_000_000_000)
            }
        }

        @Test(
            "UDP pair: recvfrom(4) of a 12-byte datagram is cut, each peer its own connection",
            .enabled(if: hasPython)
        )
        func udpPair() throws {
            let script = Support.fixtures + "/trace/udp_pair.py"
            let (outcome, session) = try Support.watch(["python3", script, "--recv", "4"])
            #expect(outcome.exitStatus == 0)
            let calls = Support.calls(session, pid: outcome.programPid).filter { $0.transport == .udp }
            let sends = calls.filter { $0.kind == .send && $0.direction == .clientToServer }
            #expect(sends.map(\.length) == [5, 12])
            #expect(sends.map(\.offset) == [0, 5])
            let recvs = calls.filter { $0.kind == .recv && $0.direction == .clientToServer }
            #expect(recvs.map(\.length) == [4, 4])
            #expect(recvs.allSatisfy { $0.program?.function == "recvfrom" && $0.bufferSize == 4 })
            #expect(recvs.allSatisfy { $0.source == sends[0].source && $0.destination == sends[0].destination })
        }

        @Test("IPv6: a pair on ::1 is recorded with IPv6 endpoints", .enabled(if: hasPython))
        func ipv6() throws {
            let script = """
                import socket
                s = socket.socket(socket.AF_INET6); s.bind(('::1', 0)); s.listen()
                c = socket.create_connection(('::1', s.getsockname()[1])); a, _ = s.accept()
                c.sendall(b'six'); print(a.recv(16)); c.close(); a.close()
                """
            let (outcome, session) = try Support.watch(["python3", "-c", script])
            #expect(outcome.exitStatus == 0)
            let (client, server) = try Support.sides(Support.calls(session, pid: outcome.programPid))
            #expect(Support.shape(client) == ["connect", "send 3/3", "close"])
            #expect(Support.shape(server) == ["accept", "recv 3/16", "close"])
            #expect(client[1].destination?.address == IPAddress("::1"))
        }

        @Test("--pid: a server started before the watch is recorded from its waiting accept; its client is not")
        func attachToRunningServer() throws {
            try #require(Self.hasPython)
            let port = try Support.freePort()
            let server = try Support.spawn([
                "python3", PackageRoot.path + "/examples/python/tcp_echo_server.py", "--port", String(port),
            ])
            defer {
                kill(server, SIGTERM)
                Support.reap(server)
            }
            try #require(Support.waitForListener(port: port), "the echo server did not listen")
            var client: pid_t = 0
            let (outcome, session) = try Support.watch([], selection: WatchSelection(pids: [server]), duration: 2.5) {
                client =
                    (try? Support.spawn([
                        "python3", PackageRoot.path + "/examples/python/tcp_echo_client.py", "--port", String(port),
                        "hello", "feng",
                    ])) ?? 0
            }
            #expect(outcome.ending == .duration)
            #expect(Support.reap(client) == 0)
            let calls = Support.calls(session, pid: server)
            #expect(
                Support.shape(calls) == [
                    "accept", "recv 6/1024", "send 6/6", "recv 5/1024", "send 5/5", "recv 0/1024", "close",
                ]
            )
            #expect(calls.filter { $0.kind == .send }.map(\.direction) == [.serverToClient, .serverToClient])
            #expect(calls.filter { $0.kind == .send }.map(\.offset) == [0, 6])
            #expect(Support.calls(session, pid: client).isEmpty)
        }

        @Test("--port: whoever uses the port is recorded, client and server alike")
        func wholeUsesAPort() throws {
            try #require(Self.hasPython)
            let port = try Support.freePort()
            var server: pid_t = 0
            var client: pid_t = 0
            let (_, session) = try Support.watch([], selection: WatchSelection(ports: [port]), duration: 3) {
                server =
                    (try? Support.spawn([
                        "python3", PackageRoot.path + "/examples/python/tcp_echo_server.py", "--port", String(port),
                    ])) ?? 0
                if Support.waitForListener(port: port) {
                    client =
                        (try? Support.spawn([
                            "python3", PackageRoot.path + "/examples/python/tcp_echo_client.py", "--port", String(port),
                            "hello",
                        ])) ?? 0
                }
            }
            kill(server, SIGTERM)
            Support.reap(server)
            #expect(Support.reap(client) == 0)
            #expect(Support.shape(Support.calls(session, pid: client)).prefix(2) == ["connect", "send 6/6"])
            #expect(Support.shape(Support.calls(session, pid: server)).prefix(2) == ["accept", "recv 6/1024"])
            // Nothing of another port.
            #expect(session.calls.allSatisfy { $0.source?.port == port || $0.destination?.port == port })
        }

        @Test("--comm: processes by command name, started before or during the watch")
        func byCommand() throws {
            let binary = try #require(try Support.buildC("mmsg"), "needs a C compiler (cc)")
            defer { unlink(binary) }
            // The kernel's comm of the binary: the first 15 bytes of its file name.
            let name = String(binary.split(separator: "/").last!.prefix(15))
            var child: pid_t = 0
            let (_, session) = try Support.watch([], selection: WatchSelection(commands: [name]), duration: 1.5) {
                child = (try? Support.spawn([binary])) ?? 0
            }
            #expect(Support.reap(child) == 0)
            let calls = Support.calls(session, pid: child)
            #expect(calls.filter { $0.kind == .send }.map(\.length) == [3, 5, 7])
            #expect(session.calls.allSatisfy { $0.program?.command == name })
        }

        @Test("sendmmsg and recvmmsg: one call per datagram, named by the system call")
        func multipleMessages() throws {
            let binary = try #require(try Support.buildC("mmsg"), "needs a C compiler (cc)")
            defer { unlink(binary) }
            let (outcome, session) = try Support.watch([binary])
            #expect(outcome.exitStatus == 0)
            let calls = Support.calls(session, pid: outcome.programPid)
            let sends = calls.filter { $0.kind == .send }
            let recvs = calls.filter { $0.kind == .recv }
            #expect(sends.map(\.length) == [3, 5, 7] && sends.allSatisfy { $0.program?.function == "sendmmsg" })
            #expect(recvs.map(\.length) == [3, 5, 7] && recvs.allSatisfy { $0.program?.function == "recvmmsg" })
            #expect(sends.map(\.payload) == ["one", "three", "fifteen"].map { Array($0.utf8) })
            #expect(recvs.allSatisfy { $0.bufferSize == 16 })
        }

        @Test("sendfile and splice: their bytes are on the axis (no payload: no user buffer)", .enabled(if: hasPython))
        func sendfileAndSplice() throws {
            let file = temporaryPath("sendfile.bin")
            defer { unlink(file) }
            let fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            _ = [UInt8](repeating: 0x61, count: 100_000).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
            let (outcome, session) = try Support.watch([
                "python3", Support.fixtures + "/watch/sendfile_splice.py", file,
            ])
            #expect(outcome.exitStatus == 0)
            let (client, server) = try Support.sides(Support.calls(session, pid: outcome.programPid))
            let sends = server.filter { $0.kind == .send }
            #expect(sends.first?.program?.function == "sendfile" && sends.first?.payload == nil)
            #expect(sends.filter { $0.program?.function == "sendfile" }.compactMap(\.length).reduce(0, +) == 100_000)
            #expect(sends.last?.payload == Array("tail".utf8) && sends.last?.offset == 100_000)
            let recvs = client.filter { $0.kind == .recv }
            let spliced = recvs.filter { $0.program?.function == "splice" }
            #expect(spliced.compactMap(\.length).reduce(0, +) == 65536 && spliced.first?.offset == 0)
            // After the splices, recv goes on where they stopped.
            let first = try #require(recvs.first { $0.program?.function == "recv" })
            #expect(first.offset == 65536)
        }

        @Test(
            "a ring too small for the calls: every lost call is counted, in the outcome and the file",
            .enabled(if: hasPython)
        )
        func lossesAreCounted() throws {
            let script = """
                import socket
                s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()
                c = socket.create_connection(s.getsockname()); a, _ = s.accept()
                for _ in range(64):
                    c.sendall(b'x' * 60000); n = 0
                    while n < 60000: n += len(a.recv(65536))
                c.close(); a.close()
                """
            let path = temporaryPath("watch-losses.pcapng")
            defer { unlink(path) }
            let watcher = SocketWatcher(
                selection: WatchSelection(),
                program: ["python3", "-c", script],
                recordPath: path
            )
            watcher.ringBytes = 64 << 10
            let outcome = try watcher.run()
            #expect(outcome.exitStatus == 0)
            #expect(outcome.losses.ringFull > 0)
            #expect(outcome.losses.description?.contains("the ring buffer was full") == true)
            // The file states it on the calls interface (an interface statistics block's comment).
            let bytes = Array(try WatchTestSupport.contents(path).utf8)
            #expect(bytes.count > 0)
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(text.contains("seam watch: not recorded: \(outcome.losses.ringFull) call"))
        }
    }
}
