import Foundation
import SeamCheck
import SeamCore
import Testing

/// `seam check --to` against small live servers on 127.0.0.1 (Fixtures/check_servers.py, redis-server).
@Suite(.serialized) struct ServerCheckTests {
    let lines = exchange([
        (client: [bytes("hello\n")], server: bytes("got hello\n")),
        (client: [bytes("world\n")], server: bytes("got world\n")),
        (client: [bytes("third line\n")], server: bytes("got third line\n")),
    ])

    func check(_ server: FixtureServer, framing: FramingSpec?, budget: Double = 3) async throws -> CheckResult {
        var check = ServerCheck(
            target: server.endpoint,
            framing: framing,
            seed: 1,
            budgetSeconds: budget,
            pauseMilliseconds: 20
        )
        let lines = self.lines
        let configured = check
        return try await offPool { try configured.run([lines]) }
    }

    @Test func findsAServerThatTakesEachRecvForARequest() async throws {
        let server = try FixtureServer.mode("recv-as-request")
        defer { server.stop() }
        let result = try await check(server, framing: .line)
        let finding = try #require(result.finding)
        #expect(finding.chunking.changes.count == 1, "minimal: \(finding.chunking)")
        // Usually `request 0 cut after byte 1`; on a loaded machine the server may read two pieces at once and
        // a later chunking is the first to show it.
        #expect(finding.sentence.hasPrefix("request "), "\(finding.sentence)")
        #expect(finding.sentence.contains("instead of"), "\(finding.sentence)")
        #expect(finding.calls.contains { $0.kind == .send && $0.rechunk == .split })
    }

    @Test func passesAServerThatBuffersUntilTheDelimiter() async throws {
        let server = try FixtureServer.mode("line")
        defer { server.stop() }
        let started = now()
        let result = try await check(server, framing: .line)
        #expect(result.finding == nil, "\(result.finding?.sentence ?? "")")
        #expect(result.tried > 20)
        #expect(result.varied.isEmpty)
        #expect(now() - started < 8, "the budget bounds the check")
    }

    @Test func theBudgetBoundsEvenTheBaseline() async throws {
        let server = try FixtureServer.mode("silent")
        defer { server.stop() }
        let started = now()
        await #expect(throws: CheckError.self) { _ = try await check(server, framing: .line, budget: 1) }
        #expect(now() - started < 2.5, "stopped at the budget, not after every answer's timeout")
    }

    @Test func answersThatVaryAreComparedByLengthOnly() async throws {
        let server = try FixtureServer.mode("varying")
        defer { server.stop() }
        let result = try await check(server, framing: .line, budget: 1.5)
        #expect(result.finding == nil, "\(result.finding?.sentence ?? "")")
        #expect(result.varied == [1])
    }

    @Test func aStructLengthPrefixProtocol() async throws {
        let requests = exchange([
            (client: [framed("first request")], server: framed("FIRST REQUEST")),
            (client: [framed("second")], server: framed("SECOND")),
        ])
        let fixed = try FixtureServer.mode("struct")
        defer { fixed.stop() }
        var check = ServerCheck(
            target: fixed.endpoint,
            framing: .pythonStruct,
            seed: 1,
            budgetSeconds: 2.5,
            pauseMilliseconds: 20
        )
        let first = check
        let passed = try await offPool { try first.run([requests]) }
        #expect(passed.finding == nil, "\(passed.finding?.sentence ?? "")")

        let buggy = try FixtureServer.mode("struct-bug")
        defer { buggy.stop() }
        check.target = buggy.endpoint
        let second = check
        let failed = try await offPool { try second.run([requests]) }
        let finding = try #require(failed.finding)
        #expect(finding.chunking.changes.count == 1, "\(finding.chunking)")
    }

    @Test func respAgainstARealRedisServerPasses() async throws {
        guard onPath("redis-server") else {
            print("skipped: redis-server is not installed (apt-get install redis-server)")
            return
        }
        let port = FixtureServer.freePort()
        let server = try FixtureServer(
            ["redis-server", "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            port: port
        )
        defer { server.stop() }
        let commands = exchange([
            (client: [bytes("*3\r\n$3\r\nSET\r\n$4\r\nseam\r\n$11\r\nhello world\r\n")], server: bytes("+OK\r\n")),
            (client: [bytes("*2\r\n$3\r\nGET\r\n$4\r\nseam\r\n")], server: bytes("$11\r\nhello world\r\n")),
            (client: [bytes("*2\r\n$4\r\nECHO\r\n$5\r\nchunk\r\n")], server: bytes("$5\r\nchunk\r\n")),
            (client: [bytes("PING\r\n")], server: bytes("+PONG\r\n")),
        ])
        var check = ServerCheck(
            target: server.endpoint,
            framing: .resp,
            seed: 1,
            budgetSeconds: 4,
            pauseMilliseconds: 10
        )
        let redis = check
        let result = try await offPool { try redis.run([commands]) }
        #expect(result.finding == nil, "\(result.finding?.sentence ?? "")")
        #expect(result.tried > 30)
    }
}

func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}
