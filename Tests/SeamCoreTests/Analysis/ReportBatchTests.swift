import Foundation
import Testing

@testable import SeamCore

/// `seam report FILE...`: files analysed in parallel come out in the order given, each exactly as a serial
/// run reports it.
@Suite struct ReportBatchTests {
    static var paths: [String] {
        DemoCaptureGoldenTests.stems.map { DemoCaptureGoldenTests.captures.appendingPathComponent("\($0).pcapng").path }
    }

    static func rendered(_ outcomes: [ReportBatch.Outcome]) -> [String] {
        outcomes.map { outcome in
            switch outcome {
            case .success(let report): return report.text(color: false) + report.jsonLines()
            case .failure(let error): return "failed: \(error)"
            }
        }
    }

    @Test("Parallel reports equal the serial ones, in argument order")
    func parallelEqualsSerial() throws {
        // Shuffled (deterministically) so the order given is not the directory's.
        let paths = Self.paths.enumerated().sorted { ($0.offset * 7) % 24 < ($1.offset * 7) % 24 }.map(\.element)
        let sources = paths.map { CaptureSource.path($0) }
        let serial = ReportBatch.build(sources: sources, options: ReportOptions(), workers: 1)
        let parallel = ReportBatch.build(sources: sources, options: ReportOptions(), workers: 4)
        #expect(serial.count == paths.count)
        #expect(Self.rendered(parallel) == Self.rendered(serial))
        for (path, outcome) in zip(paths, parallel) {
            let report = try outcome.get()
            #expect(report.file == path)
            let alone = try ReportBuilder.build(path: path)
            #expect(report.text(color: false) == alone.text(color: false))
        }
    }

    @Test("The outcomes are delivered in index order, a file that cannot be read among them")
    func deliveredInOrder() {
        var paths = Self.paths
        paths.insert("/nonexistent/seam-batch.pcap", at: 3)
        var seen: [Int] = []
        ReportBatch.build(sources: paths.map { .path($0) }, options: ReportOptions(), workers: 3) { index, outcome in
            seen.append(index)
            if index == 3 {
                if case .success = outcome { Issue.record("a missing file was reported") }
            } else if case .failure(let error) = outcome {
                Issue.record("\(paths[index]): \(error)")
            }
        }
        #expect(seen == Array(paths.indices))
    }
}
