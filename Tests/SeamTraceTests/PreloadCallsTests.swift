import SeamCore
import Testing

@testable import SeamTrace

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The calls SeamPreload gained: batches, kernel copies, children started by Popen, causal times; and real
/// programs (dig, nginx and curl) when they are installed.
@Suite("Preload calls", .serialized)
struct PreloadCallsTests {
    static let hasCC = TraceTestSupport.hasTool("cc")
    static let hasPython = TraceTestSupport.hasTool("python3")

    static func shape(_ calls: [SessionCall]) -> [String] { ProgramTracerTests.shape(calls) }

    @Test(
        "sendmmsg/recvmmsg: one call per datagram with its batch place; sendfile and splice: data=kernel",
        .enabled(if: hasCC, "needs cc")
    )
    func batchesAndKernelCopies() throws {
        let compiled = try TraceTestSupport.compile("kernel_and_batch.c")
        let binary = try #require(compiled, "cc failed on kernel_and_batch.c")
        defer { unlink(binary) }
        let (outcome, calls) = try TraceTestSupport.trace(binary, [])
        #expect(outcome.exitStatus == 0)
        let sends = calls.filter { $0.kind == .send && $0.transport == .udp }
        #expect(sends.map { $0.program?.function } == ["sendmmsg", "sendmmsg", "sendmmsg"])
        #expect(sends.map(\.payload) == ["one", "three", "via-syscall"].map { Array($0.utf8) })
        #expect(
            sends.map { $0.program?.batch } == [
                .init(index: 0, count: 2), .init(index: 1, count: 2), .init(index: 0, count: 1),
            ]
        )
        #expect(sends.compactMap(\.offset) == [0, 3, 8])
        let recvs = calls.filter { $0.kind == .recv && $0.transport == .udp }
        #expect(recvs.map { $0.program?.function } == ["recvmmsg", "recvmmsg", "recvfrom"])
        #expect(recvs.map(\.length) == [3, 5, 11])
        // recvmmsg did not ask for the sender; SeamPreload did, so all three are one flow.
        #expect(Set(recvs.map(\.connection)).count == 1 && recvs.allSatisfy { $0.source == sends[0].source })
        let sendfile = try #require(calls.first { $0.program?.function == "sendfile" })
        #expect(sendfile.kind == .send && sendfile.length == 10_000 && sendfile.program?.dataPath == .kernel)
        #expect(sendfile.payload == nil && sendfile.commentWords.contains("data=kernel"))
        let spliced = calls.filter { $0.program?.function == "splice" }
        #expect(!spliced.isEmpty && spliced.allSatisfy { $0.kind == .recv && $0.program?.dataPath == .kernel })
        #expect(spliced.compactMap(\.length).reduce(0, +) == 10_000)
    }

    @Test("a send always comes before the recv that read it: sends at entry, recvs at return", .enabled(if: hasCC, "needs cc"))
    func causalOrder() throws {
        let compiled = try TraceTestSupport.compile("causality.c", flags: ["-pthread"])
        let binary = try #require(compiled, "cc failed on causality.c")
        defer { unlink(binary) }
        let (outcome, calls) = try TraceTestSupport.trace(binary, ["300"])
        #expect(outcome.exitStatus == 0)
        var sentAt: [[UInt8]: (index: Int, time: Timestamp)] = [:]
        var checked = 0
        var returnOrderViolations = 0
        for (index, call) in calls.enumerated() {
            guard let payload = call.payload else { continue }
            if call.kind == .send {
                sentAt[payload] = (index, call.timestamp)
            } else if call.kind == .recv, let sent = sentAt[payload] {
                checked += 1
                #expect(
                    sent.index < index && sent.time <= call.timestamp,
                    "\(String(decoding: payload, as: UTF8.self))"
                )
                if let returned = calls[sent.index].program?.returnTime, returned > call.timestamp {
                    returnOrderViolations += 1
                }
            }
        }
        #expect(checked == 600, "every ping and pong was matched with its send")
        print("causal order: \(checked) datagrams; \(returnOrderViolations) read before their sendto returned")
    }

    @Test(
        "children started by subprocess.Popen (close_fds) are traced; the parent's socket is not disturbed",
        .enabled(if: hasPython, "needs python3")
    )
    func popenChildren() throws {
        let (outcome, calls) = try TraceTestSupport.trace("python3", [TraceTestSupport.fixtures + "/popen_parent.py"])
        #expect(outcome.exitStatus == 0 && outcome.untraced.isEmpty)
        let (client, server) = try ProgramTracerTests.sides(calls)
        #expect(Self.shape(client) == ["connect", "send 11/11", "recv 11/100", "close"])
        #expect(Self.shape(server) == ["accept", "recv 11/100", "send 11/11", "close"])
        #expect(client[1].payload == Array("popen-child".utf8))
        let pids = Set(calls.compactMap { $0.program?.pid })
        #expect(pids.count == 3, "parent, server and client: \(pids)")
        #expect(client.first?.program?.command == "python3")
        // The parent's own UDP socket: one connection, both datagrams, offsets contiguous, one close.
        let own = calls.filter { $0.transport == .udp }
        #expect(Set(own.map(\.connection)).count == 1)
        #expect(Self.shape(own) == ["send 6/6", "recv 6/100", "send 5/5", "recv 5/100", "close"])
    }
}
