import SeamCore
import SeamTestSupport
import SeamTrace
import Testing

@testable import SeamWatch

#if canImport(Glibc)
import Glibc
#endif

extension WatchTests {
    /// Programs LD_PRELOAD cannot see or that use the calls it misses, watched for real: a static Go client and
    /// server, dig over UDP (sendmmsg) and TCP, nginx with `sendfile on` and curl, node and java. Each test
    /// skips when its program is not installed (`make test-deps` installs them).
    @Suite("Real programs", .enabled(if: WatchTestSupport.canWatch, "\(WatchTestSupport.bpfProblem ?? "")"))
    struct RealProgramTests {
        typealias Support = WatchTestSupport

        /// Builds Tests/Fixtures/watch/gopair statically (CGO_ENABLED=0) into /tmp, once per run.
        static let goPair: String? = {
            guard WatchTestSupport.hasTool("go") else { return nil }
            let output = "/tmp/seam-watch-test-gopair-\(getpid())"
            let (status, _, _) =
                (try? WatchTestSupport.run(
                    ["sh", "-c", "cd '\(WatchTestSupport.fixtures)/watch/gopair' && go build -o '\(output)' ."],
                    environment: ["CGO_ENABLED=0", "GOCACHE=/tmp/seam-watch-test-gocache", "GOFLAGS=-mod=mod"]
                )) ?? (1, "", "")
            return status == 0 ? output : nil
        }()

        @Test("a static Go client and server: both processes' calls, though LD_PRELOAD sees none of them")
        func goClientAndServer() throws {
            let binary = try #require(Self.goPair, "needs go (golang-go) to build the fixture")
            #expect(ProgramLinkage.inspect(path: binary) == .goRuntime)
            let portFile = temporaryPath("gopair.port")
            defer { unlink(portFile) }
            let (outcome, session) = try Support.watch([
                "sh", "-c", "'\(binary)' server '\(portFile)' & '\(binary)' client '\(portFile)'; wait",
            ])
            #expect(outcome.exitStatus == 0)
            let calls = session.calls.filter { $0.program?.command.map { $0.hasPrefix("seam-watch-test") } == true }
            let (client, server) = try Support.sides(calls)
            #expect(Support.shape(client).prefix(3) == ["connect", "send 6/6", "send 5/5"])
            #expect(client.filter { $0.kind == .recv }.compactMap(\.length).reduce(0, +) == 11)
            #expect(server.first?.kind == .accept)
            #expect(server.filter { $0.kind == .send }.map(\.payload) == [Array("HELLO\n".utf8), Array("FENG\n".utf8)])
            // Two processes: the client's pid is not the server's.
            #expect(client[0].program?.pid != server[0].program?.pid)
        }

        @Test(
            "dig: a UDP query with sendmmsg, a TCP query with its 2-byte length",
            .enabled(if: Support.hasTool("dig"))
        )
        func dig() throws {
            let portFile = temporaryPath("dns.port")
            defer { unlink(portFile) }
            let server = Support.fixtures + "/watch/dns_server.py"
            let script = """
                python3 '\(server)' '\(portFile)' 2 & while [ ! -f '\(portFile)' ]; do sleep 0.02; done
                P=$(cat '\(portFile)'); dig +short +tries=1 @127.0.0.1 -p $P example.com; \
                dig +tcp +short +tries=1 @127.0.0.1 -p $P example.org; wait
                """
            let (outcome, session) = try Support.watch(["sh", "-c", script])
            #expect(outcome.exitStatus == 0)
            let dig = session.calls.filter { $0.program?.command == "dig" }
            let udpQuery = try #require(dig.first { $0.transport == .udp && $0.kind == .send && $0.length ?? 0 > 0 })
            #expect(udpQuery.program?.function == "sendmmsg")
            #expect(dig.contains { $0.transport == .udp && $0.kind == .recv && $0.length ?? 0 > 0 })
            let tcpSends = dig.filter { $0.transport == .tcp && $0.kind == .send }
            // The TCP query is the UDP one plus its 2-byte length.
            #expect(tcpSends.compactMap(\.length).reduce(0, +) == (udpQuery.length ?? 0) + 2)
            let python = session.calls.filter { $0.program?.command == "python3" && $0.transport == .tcp }
            #expect(Support.shape(python).prefix(2) == ["accept", "recv 2/2"])
        }

        @Test(
            "nginx with sendfile on, and curl: the 300 kB body is one sendfile, curl's reads add up",
            .enabled(if: Support.hasTool("nginx") && Support.hasTool("curl"))
        )
        func nginxAndCurl() throws {
            let prefix = temporaryPath("nginx")
            let html = prefix + "/html"
            _ = try Support.run(["mkdir", "-p", html])
            defer { _ = try? Support.run(["rm", "-rf", prefix]) }
            _ = try Support.run(["sh", "-c", "head -c 300000 /dev/zero | tr '\\0' x > '\(html)/big.txt'"])
            _ = try Support.run(["chmod", "-R", "a+rX", prefix])
            let port = try Support.freePort()
            let template = try Support.contents(Support.fixtures + "/watch/nginx.conf")
            let config = template.replacing("ROOT", with: html).replacing("PORT", with: String(port))
                .replacing("PREFIX", with: prefix)
            let configPath = prefix + "/nginx.conf"
            let fd = open(configPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            _ = Array(config.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
            let script = """
                nginx -c '\(configPath)' -p '\(prefix)' & N=$!
                for i in $(seq 200); do
                    curl -s -o /dev/null http://127.0.0.1:\(port)/ 2>/dev/null && break; sleep 0.02
                done
                curl -s -o '\(prefix)/out' http://127.0.0.1:\(port)/big.txt; kill $N; wait
                """
            let (_, session) = try Support.watch(["sh", "-c", script])
            let nginx = session.calls.filter { $0.program?.command == "nginx" }
            let sendfile = nginx.filter { $0.kind == .send && $0.program?.function == "sendfile" }
            #expect(sendfile.compactMap(\.length).reduce(0, +) == 300_000)
            let curl = session.calls.filter { $0.program?.command == "curl" && $0.kind == .recv }
            #expect(curl.compactMap(\.length).reduce(0, +) > 300_000)
        }

        @Test("node: a server and client in one process, with libuv's calls", .enabled(if: Support.hasTool("node")))
        func node() throws {
            let (outcome, session) = try Support.watch(["node", Support.fixtures + "/watch/node_pair.js"])
            #expect(outcome.exitStatus == 0)
            let (client, server) = try Support.sides(Support.calls(session, pid: outcome.programPid))
            #expect(client.filter { $0.kind == .send }.map(\.payload) == [Array("hello\n".utf8), Array("feng\n".utf8)])
            #expect(server.filter { $0.kind == .send }.map(\.payload) == [Array("HELLO\n".utf8), Array("FENG\n".utf8)])
            #expect(client.allSatisfy { $0.program?.command == "node" })
        }

        @Test("java: a ServerSocket and a Socket in one process", .enabled(if: Support.hasTool("java")))
        func java() throws {
            let (outcome, session) = try Support.watch(["java", Support.fixtures + "/watch/JavaPair.java"])
            #expect(outcome.exitStatus == 0)
            let calls = Support.calls(session, pid: outcome.programPid)
            let (client, server) = try Support.sides(calls)
            #expect(client.filter { $0.kind == .send }.map(\.payload) == [Array("hello\n".utf8), Array("feng\n".utf8)])
            #expect(server.filter { $0.kind == .recv }.compactMap(\.length).reduce(0, +) == 11)
            #expect(client.allSatisfy { $0.program?.command == "java" })
        }
    }
}
