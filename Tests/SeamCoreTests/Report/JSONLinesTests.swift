import Foundation
import Testing

@testable import SeamCore

/// `seam report --format jsonl`: every line is one JSON object that JSONSerialization reads alone, with the
/// members the README documents, one per flow, one per verdict, and one for the file.
@Suite struct JSONLinesTests {
    static let captures = DemoCaptureGoldenTests.captures

    static func lines(_ stem: String) throws -> (BoundaryReport, [[String: Any]]) {
        let report = try DemoCaptureGoldenTests.report(stem)
        let text = report.jsonLines()
        #expect(text.hasSuffix("\n"))
        let objects = try text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { line in
            let value = try JSONSerialization.jsonObject(with: Data(line.utf8))
            return try #require(value as? [String: Any], "not an object: \(line)")
        }
        return (report, objects)
    }

    @Test("One line per flow, then its verdicts, then the file", arguments: ["small-recv-bug", "command-output-bug", "echo-upper", "udp-truncation-bug"])
    func linesFollowTheReport(stem: String) throws {
        let (report, objects) = try Self.lines(stem)
        #expect(objects.count == report.flows.count + report.verdicts.count + 1)
        var index = 0
        for flow in report.flows {
            let line = objects[index]
            #expect(line["record"] as? String == "flow")
            #expect(line["file"] as? String == report.file)
            #expect(line["flow"] as? String == flow.id)
            #expect(line["transport"] as? String == flow.proto.rawValue)
            #expect(line["client"] as? String == flow.client.description)
            #expect(line["server"] as? String == flow.server.description)
            #expect(line["server_port"] as? Int == Int(flow.server.port))
            #expect(line["verdicts"] as? Int == flow.verdicts.count)
            for (key, direction) in [("c2s", flow.clientToServer), ("s2c", flow.serverToClient)] {
                let counts = try #require(line[key] as? [String: Any])
                #expect(counts["bytes"] as? Int == Int(direction.bytes))
                #expect(counts["messages"] as? Int == direction.messageCount)
                #expect((counts["segments"] as? Int) == direction.segmentCount)
                #expect(counts["observations"] as? Int == direction.observations.count)
                let coalesced = direction.observations.filter { $0.kind == .coalesced }.count
                #expect(counts["coalesced"] as? Int == coalesced)
                let summary = try #require(counts["observation_summary"] as? [[String: Any]])
                #expect(summary.reduce(0) { $0 + ($1["count"] as? Int ?? 0) } == direction.observations.count)
            }
            index += 1
            for verdict in flow.verdicts {
                let line = objects[index]
                #expect(line["record"] as? String == "verdict")
                #expect(line["flow"] as? String == flow.id)
                #expect(line["kind"] as? String == verdict.kind.rawValue)
                #expect(line["direction"] as? String == verdict.direction.rawValue)
                #expect(line["program"] as? String == verdict.program.rawValue)
                #expect(line["time"] as? String == verdict.time.iso8601)
                #expect((line["fix"] as? String)?.isEmpty == false)
                index += 1
            }
        }
        let last = objects[index]
        #expect(last["record"] as? String == "file")
        #expect(last["flows"] as? Int == report.flows.count)
        #expect(last["verdicts"] as? Int == report.verdicts.count)
        #expect(last["error"] is NSNull)
    }

    @Test("Every line of a kind has the same members (a stable schema)")
    func membersAreStable() throws {
        var keys: [String: [String]] = [:]
        for stem in DemoCaptureGoldenTests.stems {
            let report = try DemoCaptureGoldenTests.report(stem)
            for line in report.jsonLines().split(separator: "\n") {
                let value = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                let record = try #require(value["record"] as? String)
                let names = value.keys.sorted()
                if let seen = keys[record] { #expect(seen == names, "\(stem) \(record)") } else { keys[record] = names }
            }
        }
        #expect(Set(keys.keys) == ["flow", "verdict", "file"])
        #expect(keys["flow"]?.contains("c2s") == true)
    }
}
