import Foundation
import SeamTestSupport
import Testing

@testable import SeamCore

/// Records each protocol afresh from a real server (Tests/Fixtures/framing/record.py: root, tcpdump, the
/// servers of Debian's packages) and checks Seam's framing of it: no framing errors, detection picks the
/// protocol for every direction, and the message counts equal tshark's (where tshark 4.0 counts right) or the
/// recording's known counts (RESP and memcache, which tshark 4.0 miscounts when pipelined). A protocol whose
/// server cannot start here is skipped with the reason.
@Suite("Framing: traffic recorded live from real servers", .serialized)
struct RealServerFramingTests {
    static let script = PackageRoot.path + "/Tests/Fixtures/framing/record.py"

    /// The recorded cases, by the protocol record.py takes.
    static let protocols: [(name: String, corpus: FramingCorpusCase)] = FramingCorpusCase.recorded
        .filter { $0.spec != .http2 || $0.file == "http2.pcap" }
        .map { (String($0.file.dropLast(5)), $0) }

    /// Runs record.py; `nil` (and the reason printed) when the recording is skipped.
    static func record(_ name: String) throws -> String? {
        guard getuid() == 0 else {
            print("skipped: recording \(name) from a real server needs root (tcpdump on lo)")
            return nil
        }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else {
            print("skipped: recording \(name) needs /usr/bin/python3")
            return nil
        }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("seam-\(name)-\(getpid()).pcap").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [script, name, output]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        switch process.terminationStatus {
        case 0: return output
        case 77:
            print(
                message.isEmpty
                    ? "skipped: \(name): the server could not start" : message.trimmingCharacters(in: .newlines)
            )
            return nil
        default:
            Issue.record("record.py \(name) failed (\(process.terminationStatus)): \(message)")
            return nil
        }
    }

    @Test("a fresh recording frames without errors, detection picks it, counts agree", arguments: protocols.map(\.name))
    func freshRecording(_ name: String) throws {
        guard let corpus = Self.protocols.first(where: { $0.name == name })?.corpus, let path = try Self.record(name)
        else { return }
        defer { try? FileManager.default.removeItem(atPath: path) }
        var capture = try FramedCapture(path: path, spec: corpus.spec)
        let lostPackets = capture.flows.values.contains { flow in
            flow.messages.both.contains { messages in messages.contains { !$0.isComplete } }
        }
        if lostPackets {
            // A capture that lost packets (a loaded machine) is recorded once more before judging.
            print("\(name): the capture lost packets; recording again")
            guard let again = try Self.record(name) else { return }
            capture = try FramedCapture(path: again, spec: corpus.spec)
            try? FileManager.default.removeItem(atPath: again)
        }
        #expect(!capture.flows.isEmpty, "\(name): no TCP flow recorded")
        for (id, flow) in capture.flows {
            for direction in Direction.allCases where flow.bytes[direction] > 0 {
                #expect(
                    flow.errors[direction] == nil,
                    "\(name) \(id) \(direction): \(String(describing: flow.errors[direction]))"
                )
                let cut = flow.messages[direction].filter { !$0.isComplete }
                #expect(cut.isEmpty, "\(name) \(id) \(direction): cut messages \(cut)")
                let picked = capture.detection(id)?.picked(direction)?.spec
                #expect(picked == corpus.picks, "\(name) \(id) \(direction): picked \(String(describing: picked))")
            }
        }
        let counts = FramingCorpusTests.seamCounts(corpus, capture)
        if !corpus.seam.isEmpty {
            // tshark 4.0 miscounts these pipelined protocols; the client always sends the same commands.
            for (flow, expected) in corpus.seam {
                let found = counts[flow] ?? (0, 0)
                #expect(found == expected, "\(name) \(flow): Seam \(found), the recording holds \(expected)")
            }
            return
        }
        guard Tshark.isAvailable else {
            print("skipped: tshark is not installed; \(name)'s counts are not compared")
            return
        }
        var arguments: [String] = []
        if let dissector = corpus.decodeAs {
            for port in Set(capture.flows.values.map(\.server.port)) {
                arguments += ["-d", "tcp.port==\(port),\(dissector)"]
            }
        }
        let tshark = try TsharkCounts.perDirection(path, field: corpus.field, arguments: arguments)
        for (flow, found) in counts {
            let expected = tshark[flow] ?? (0, 0)
            #expect(found == expected, "\(name) \(flow): Seam \(found), tshark \(expected)")
        }
    }
}
