import SeamCapture
import SeamCore
import Testing

@testable import SeamDemo

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every lesson, played for real on loopback with the sniffer, must show what it teaches: its expected
/// findings (and exact count where it fixes one), in under 5 s. Serialized: the lessons are about timing.
@Suite(.serialized)
struct LessonTests {
    static let canCapture = LiveCapture.canCapture(interface: "lo")

    @Test(
        "Each lesson shows its findings with every layer observed",
        .enabled(if: canCapture, "needs capture privilege on lo (root or CAP_NET_RAW)"),
        arguments: Lesson.all.map(\.name)
    )
    func lessonShowsItsFindings(name: String) throws {
        let lesson = try #require(Lesson.named(name))
        let path = DemoRunner.temporaryPath(for: lesson)
        defer { unlink(path) }
        let outcome = try DemoRunner.run(lesson, recordingTo: path)
        #expect(outcome.missingSegments == nil)
        #expect(outcome.seconds < 5, "\(name) took \(outcome.seconds) s")
        #expect(outcome.packets > 0)
        let report = try lesson.report(of: path)
        #expect(report.layers.contains(.send) && report.layers.contains(.recv))
        let check = LessonCheck(lesson: lesson, report: report)
        #expect(check.passed, "\(name): \(check.problems)")
    }

    @Test("struct-header: framing struct:i recovers every message exactly, no finding")
    func structHeaderMessageCounts() throws {
        guard Self.canCapture else {
            print("skipped: no capture privilege on lo")
            return
        }
        let lesson = Lesson.structHeader
        let path = DemoRunner.temporaryPath(for: lesson)
        defer { unlink(path) }
        _ = try DemoRunner.run(lesson, recordingTo: path)
        let report = try lesson.report(of: path)
        #expect(report.verdicts.isEmpty && report.observationCount == 0)
        #expect(report.flows.count == 2)
        for flow in report.flows {
            #expect(flow.clientToServer.messageCount == 3)
            #expect(flow.serverToClient.messageCount == 3)
        }
    }

    @Test("Without the sniffer a lesson still runs and says the segment layer is missing")
    func lessonWithoutCapture() throws {
        let lesson = Lesson.senderCoalescing
        let path = DemoRunner.temporaryPath(for: lesson)
        defer { unlink(path) }
        let outcome = try DemoRunner.run(lesson, recordingTo: path, capture: false)
        #expect(outcome.missingSegments != nil)
        #expect(outcome.packets == 0)
        let report = try lesson.report(of: path)
        #expect(!report.layers.contains(.segment))
        #expect(report.layers.contains(.send))
    }

    @Test("The peers record their own calls with leg=app, offsets and asked sizes")
    func peersRecordAppCalls() throws {
        let lesson = Lesson.smallRecv
        let path = DemoRunner.temporaryPath(for: lesson)
        defer { unlink(path) }
        _ = try DemoRunner.run(lesson, recordingTo: path, capture: false)
        var calls: [SessionCall] = []
        let reader = try CaptureFileReader(path: path)
        while let record = try reader.next() {
            if record.linkType == .wiresharkUpperPDU { calls.append(try SessionCall.decode(record: record)) }
        }
        let app = calls.filter { $0.leg == .app }
        let recvs = app.filter { $0.kind == .recv && $0.direction == .clientToServer }
        #expect(recvs.map(\.bufferSize) == [2, 10, 10])
        #expect(recvs.map(\.length) == [2, 7, 0])
        #expect(recvs.map(\.offset) == [0, 2, 9])
        let sends = app.filter { $0.kind == .send && $0.direction == .clientToServer }
        #expect(sends.map(\.payload) == [Array("hello".utf8), Array("feng".utf8)])
        #expect(sends.allSatisfy { $0.source != nil && $0.destination != nil && $0.source != $0.destination })
    }

    @Test("--list has the twelve lessons of the issue, in order")
    func catalog() {
        #expect(
            Lesson.all.map(\.name) == [
                "echo-upper", "udp-echo", "command-output", "sender-coalescing", "receiver-backlog", "small-recv",
                "udp-truncation", "length-then-ack", "struct-header", "json-header", "send-vs-sendall",
                "empty-message",
            ]
        )
        #expect(Set(Lesson.all.map(\.name)).count == 12)
        for lesson in Lesson.all {
            #expect(!lesson.explanation.isEmpty && !lesson.summary.isEmpty && !lesson.title.isEmpty)
            #expect(throws: Never.self) { _ = try lesson.framingSpec }
        }
    }

    @Test("Canned command outputs: about 5 KB of listing, never executed")
    func cannedOutputs() {
        let (stderr, stdout) = CannedCommand.output(for: "ls -l")
        #expect(stdout.count > 4_500 && stdout.count < 6_000)
        #expect(!stderr.isEmpty)
        let unknown = CannedCommand.output(for: "rm -rf /")
        #expect(unknown.stdout.isEmpty)
        #expect(String(decoding: unknown.stderr, as: UTF8.self).contains("not found"))
    }
}
