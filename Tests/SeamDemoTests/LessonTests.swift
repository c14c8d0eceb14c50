import SeamCapture
import SeamCore
import SeamTestSupport
import Testing

@testable import SeamDemo

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every lesson, played for real on loopback: the buggy program gets exactly its verdicts, the fixed one none,
/// each variant shows the observations it promises, in under 5 s. Serialized: the lessons are about timing.
@Suite(.serialized)
struct LessonTests {
    static let canCapture = LiveCapture.canCapture(interface: "lo")

    /// `lesson/variant` for every variant of every lesson.
    static let variants = Lesson.all.flatMap { lesson in lesson.variants.map { "\(lesson.name)/\($0.name)" } }

    static func variant(_ id: String) throws -> (Lesson, LessonVariant) {
        let parts = id.split(separator: "/").map(String.init)
        let lesson = try #require(Lesson.named(parts[0]))
        return (lesson, try #require(lesson.variant(named: parts[1])))
    }

    @Test(
        "Each variant gets exactly its verdicts, with every layer observed",
        .enabled(if: canCapture, "needs capture privilege on lo (root or CAP_NET_RAW)"),
        arguments: variants
    )
    func variantGetsItsVerdicts(id: String) throws {
        let (lesson, variant) = try Self.variant(id)
        let path = DemoRunner.temporaryPath(for: lesson.fileStem(of: variant))
        defer { unlink(path) }
        let outcome = try DemoRunner.run(lesson, variant, recordingTo: path)
        #expect(outcome.missingSegments == nil)
        #expect(outcome.seconds < 5, "\(id) took \(outcome.seconds) s")
        #expect(outcome.packets > 0)
        let report = try variant.report(of: path)
        #expect(report.layers.contains(.send) && report.layers.contains(.recv))
        let check = LessonCheck(variant: variant, report: report)
        #expect(check.passed, "\(id): \(check.problems)")
        // A fix is judged on the same exchange as its bug: the verdicts are the program's, not the run's.
        if variant.role != .bug { #expect(report.verdicts.isEmpty, "\(id): \(report.verdicts.map(\.kind))") }
    }

    @Test("Without the sniffer a variant still runs, says the segment layer is missing, and its calls judge it")
    func variantsWithoutCapture() throws {
        let cases =
            Lesson.headline.variants.map { (Lesson.headline, $0) } + [
                (Lesson.smallRecv, try #require(Lesson.smallRecv.bug))
            ]
        for (lesson, variant) in cases {
            let path = DemoRunner.temporaryPath(for: lesson.fileStem(of: variant))
            defer { unlink(path) }
            let outcome = try DemoRunner.run(lesson, variant, recordingTo: path, capture: false)
            #expect(outcome.missingSegments != nil)
            #expect(outcome.packets == 0)
            let report = try variant.report(of: path)
            #expect(!report.layers.contains(.segment))
            #expect(report.layers.contains(.send) && report.layers.contains(.recv))
            // The verdicts come from the programs' own calls: the same without the segments.
            #expect(report.verdicts.map(\.kind) == variant.verdicts, "\(lesson.name)/\(variant.name)")
            let check = LessonCheck(variant: variant, report: report)
            #expect(check.passed, "\(lesson.name)/\(variant.name): \(check.problems)")
        }
    }

    @Test("The proxy-only variant keeps no peer call: its session is what a plain seam proxy records")
    func proxyOnlySession() throws {
        let lesson = Lesson.closeUnread
        let variant = try #require(lesson.variant(named: "proxy-only"))
        #expect(!variant.recordsPeerCalls && variant.verdicts == [.stoppedReading])
        let path = DemoRunner.temporaryPath(for: lesson.fileStem(of: variant))
        defer { unlink(path) }
        _ = try DemoRunner.run(lesson, variant, recordingTo: path, capture: false)
        // Without the capture there is nothing to judge it by, and the check expects nothing.
        #expect(try variant.report(of: path).verdicts.isEmpty)
        #expect(LessonCheck(variant: variant, report: try variant.report(of: path)).passed)
        let session = try SessionFile(path: path)
        #expect(!session.calls.isEmpty)
        #expect(session.calls.allSatisfy { $0.leg != .app })
        #expect(session.sectionComments.joined().contains("peer-calls=no"))
    }

    @Test("The peers record their own calls with leg=app, offsets and asked sizes, even after both FINs")
    func peersRecordAppCalls() throws {
        let lesson = Lesson.smallRecv
        let variant = try #require(lesson.bug)
        let path = DemoRunner.temporaryPath(for: lesson.fileStem(of: variant))
        defer { unlink(path) }
        _ = try DemoRunner.run(lesson, variant, recordingTo: path, capture: false)
        let app = try SessionFile(path: path).calls.filter { $0.leg == .app }
        let recvs = app.filter { $0.kind == .recv && $0.direction == .clientToServer }
        #expect(recvs.map(\.bufferSize) == [2, 10, 10])
        #expect(recvs.map(\.length) == [2, 7, 0])
        #expect(recvs.map(\.offset) == [0, 2, 9])
        let sends = app.filter { $0.kind == .send && $0.direction == .clientToServer }
        #expect(sends.map(\.payload) == [Array("hello".utf8), Array("feng".utf8)])
        #expect(sends.allSatisfy { $0.source != nil && $0.destination != nil && $0.source != $0.destination })
        // The client half-closed and read until the server's FIN: its last reads stay on its connection.
        let client = try #require(app.first { $0.kind == .connect }).connection
        let clientReads = app.filter { $0.kind == .recv && $0.direction == .serverToClient }
        #expect(!clientReads.isEmpty && clientReads.allSatisfy { $0.connection == client })
        #expect(clientReads.allSatisfy { $0.source?.port != 0 })
    }

    @Test("--list: the lessons in order; each bug has its verdicts and a fix, each fix and correct program none")
    func catalog() throws {
        #expect(
            Lesson.all.map(\.name) == [
                "echo-upper", "udp-echo", "command-output", "sender-coalescing", "receiver-backlog", "small-recv",
                "udp-truncation", "length-then-ack", "struct-header", "json-header", "send-vs-sendall",
                "close-unread", "empty-message",
            ]
        )
        #expect(Lesson.headline.name == "sender-coalescing")
        let stems = Lesson.all.flatMap { lesson in lesson.variants.map { lesson.fileStem(of: $0) } }
        #expect(Set(stems).count == stems.count)
        for lesson in Lesson.all {
            #expect(!lesson.summary.isEmpty && !lesson.title.isEmpty)
            #expect(Set(lesson.variants.map(\.name)).count == lesson.variants.count)
            if lesson.bug != nil {
                #expect(lesson.variants.first?.role == .bug && lesson.variants.contains { $0.role == .fix })
            } else {
                #expect(lesson.variants.map(\.role) == [.correct])
            }
            for variant in lesson.variants {
                #expect(!variant.explanation.isEmpty && !variant.summary.isEmpty && !variant.happens.isEmpty)
                #expect(variant.role == .bug ? !variant.verdicts.isEmpty : variant.verdicts.isEmpty)
                #expect(throws: Never.self) { _ = try variant.framingSpec }
            }
        }
        #expect(Lesson.senderCoalescing.bug?.verdicts == [.unanswered])
        #expect(Lesson.senderCoalescing.bug?.pairsRequests == true)
        #expect(Lesson.udpTruncation.bug?.verdicts == [.truncated])
        #expect(Lesson.sendVersusSendAll.bug?.verdicts == [.partialSend])
    }

    @Test("A recorded file is named per variant: s.pcapng → s-bug.pcapng; one-variant lessons keep the name")
    func variantPaths() throws {
        let lesson = Lesson.smallRecv
        let bug = try #require(lesson.variant(named: "bug"))
        let fix = try #require(lesson.variant(named: "fix"))
        #expect(lesson.path("s.pcapng", for: bug) == "s-bug.pcapng")
        #expect(lesson.path("/tmp/a.b/s.pcapng", for: fix) == "/tmp/a.b/s-fix.pcapng")
        #expect(lesson.path("/tmp/a.b/session", for: fix) == "/tmp/a.b/session-fix")
        #expect(lesson.fileStem(of: bug) == "small-recv-bug")
        let echo = try #require(Lesson.echoUpper.variants.first)
        #expect(Lesson.echoUpper.path("e.pcapng", for: echo) == "e.pcapng")
        #expect(Lesson.echoUpper.fileStem(of: echo) == "echo-upper")
    }

    @Test("captures/framings.txt names every variant's file with its framing and pairing")
    func capturesManifest() throws {
        let text = try String(contentsOfFile: PackageRoot.path + "/captures/framings.txt", encoding: .utf8)
        var manifest: [String: (framing: String?, pairing: Bool)] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let words = line.split(separator: " ").map(String.init)
            guard let stem = words.first else { continue }
            let framing = words.count > 1 && words[1] != "-" ? words[1] : nil
            manifest[stem] = (framing, words.contains("pairing"))
        }
        for lesson in Lesson.all {
            for variant in lesson.variants {
                let stem = lesson.fileStem(of: variant)
                let entry = try #require(manifest[stem], "captures/framings.txt has no line for \(stem)")
                #expect(entry.framing == variant.framing, "\(stem)")
                #expect(entry.pairing == variant.pairsRequests, "\(stem)")
            }
        }
        let stems = Lesson.all.flatMap { lesson in lesson.variants.map { lesson.fileStem(of: $0) } }
        #expect(Set(manifest.keys) == Set(stems))
    }

    @Test("Canned command outputs: about 5 KB of listing, never executed")
    func cannedOutputs() {
        let (stderr, stdout) = CannedCommand.output(for: "ls -l")
        #expect(stdout.count > 4_500 && stdout.count < 6_000)
        #expect(!stderr.isEmpty)
        #expect(CannedCommand.answer(for: Array("ls -l".utf8)) == stdout + stderr)
        let unknown = CannedCommand.output(for: "rm -rf /")
        #expect(unknown.stdout.isEmpty)
        #expect(String(decoding: unknown.stderr, as: UTF8.self).contains("not found"))
    }
}
