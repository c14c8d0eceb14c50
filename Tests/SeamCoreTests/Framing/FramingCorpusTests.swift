import Foundation
import SeamTestSupport
import Testing

@testable import SeamCore

/// Seam's message counts per flow and direction equal tshark's own dissectors' on the public captures of each
/// protocol in the shared corpus (`../shared/corpus/files`) and on the traffic recorded from real servers
/// (`Tests/Fixtures/framing`), and detection picks each file's protocol.
@Suite("Framing: public corpus and recorded servers against tshark", .serialized)
struct FramingCorpusTests {
    /// Whether the case's file is missing (the shared corpus beside the package); says so.
    static func missing(_ corpus: FramingCorpusCase) -> Bool {
        guard corpus.location == .corpus, !PackageRoot.hasCorpus else { return false }
        print("skipped: no shared corpus at \(PackageRoot.corpus) (\(corpus.file) not checked)")
        return true
    }

    static let cases = FramingCorpusCase.all + FramingCorpusCase.recorded

    /// Seam's counts per direction, summed when the case compares totals.
    static func seamCounts(_ corpus: FramingCorpusCase, _ capture: FramedCapture) -> [String: (Int, Int)] {
        var counts: [String: (Int, Int)] = [:]
        for (id, flow) in capture.flows where corpus.compares(id, capture) {
            let pair = (
                corpus.counting.count(flow.messages.clientToServer), corpus.counting.count(flow.messages.serverToClient)
            )
            let key = corpus.totals ? "total" : id.description
            let sum = counts[key] ?? (0, 0)
            counts[key] = (sum.0 + pair.0, sum.1 + pair.1)
        }
        return counts
    }

    @Test("message counts equal tshark's (or the bytes' where tshark 4.0 miscounts)", arguments: cases)
    func countsEqualTshark(_ corpus: FramingCorpusCase) throws {
        if Self.missing(corpus) { return }
        let capture = try FramedCapture(path: corpus.path, spec: corpus.spec)
        let counts = Self.seamCounts(corpus, capture)
        let expected = corpus.tshark.merging(corpus.seam) { _, seam in seam }
        for (flow, pair) in expected {
            let found = counts[flow] ?? (0, 0)
            #expect(found.0 == pair.0, "\(corpus) \(flow) c2s: Seam \(found.0), expected \(pair.0)")
            #expect(found.1 == pair.1, "\(corpus) \(flow) s2c: Seam \(found.1), expected \(pair.1)")
        }
        for (flow, found) in counts where expected[flow] == nil {
            #expect(found.0 == 0 && found.1 == 0, "\(corpus) \(flow): Seam found \(found), tshark nothing")
        }
        for (id, flow) in capture.flows where corpus.compares(id, capture) {
            #expect(
                flow.errors.clientToServer == nil,
                "\(corpus) \(id) c2s: \(String(describing: flow.errors.clientToServer))"
            )
            #expect(
                flow.errors.serverToClient == nil,
                "\(corpus) \(id) s2c: \(String(describing: flow.errors.serverToClient))"
            )
        }
        if let difference = corpus.difference { print("\(corpus.file): differs from tshark: \(difference)") }
        if let reason = corpus.skippedBecause {
            print("\(corpus.file): \(corpus.skipped.count) flows left out: \(reason)")
        }
    }

    @Test("detection picks the protocol of each file", arguments: cases.filter { $0.picks != nil })
    func detectionPicksTheProtocol(_ corpus: FramingCorpusCase) throws {
        if Self.missing(corpus) { return }
        let capture = try FramedCapture(path: corpus.path, spec: corpus.spec)
        var picked = 0
        for result in capture.survey.results where corpus.compares(result.id, capture) {
            for direction in Direction.allCases where result.detection[direction].bytes > 0 {
                let fit = result.detection.picked(direction)
                #expect(
                    fit?.spec == corpus.picks,
                    "\(corpus) \(result.id) \(direction): \(result.detection.summary(direction))"
                )
                picked += 1
            }
        }
        #expect(picked > 0)
    }

    /// The table's tshark counts are tshark's: rerun it where it is installed.
    @Test("the table's tshark counts are what tshark says", arguments: cases)
    func tableMatchesTshark(_ corpus: FramingCorpusCase) throws {
        if Self.missing(corpus) { return }
        guard Tshark.isAvailable else {
            print("skipped: tshark is not installed (apt-get install tshark); the table's counts are not rechecked")
            return
        }
        let capture = try FramedCapture(path: corpus.path, spec: corpus.spec)
        var arguments = corpus.tsharkArguments
        if let dissector = corpus.decodeAs {
            for port in Set(capture.flows.values.map(\.server.port)) {
                arguments += ["-d", "tcp.port==\(port),\(dissector)"]
            }
        }
        let counts = try TsharkCounts.perDirection(corpus.path, field: corpus.field, arguments: arguments)
        var table: [String: (Int, Int)] = [:]
        for (flow, pair) in counts where FlowID(flow).map({ corpus.compares($0, capture) }) ?? false {
            let key = corpus.totals ? "total" : flow
            let sum = table[key] ?? (0, 0)
            table[key] = (sum.0 + pair.0, sum.1 + pair.1)
        }
        for (flow, pair) in corpus.tshark {
            let found = table[flow] ?? (0, 0)
            #expect(found == pair, "\(corpus) \(flow): tshark says \(found), the table \(pair)")
        }
    }
}
