import SeamTestSupport
import Foundation
import Testing

@testable import SeamCore

/// A report made with closed flows analysed on a worker pool, and rendered on every core, is the serial
/// report, byte for byte, whatever order the workers finish in.
@Suite struct ParallelAnalysisTests {
    static let corpus = DemoCaptureGoldenTests.root.deletingLastPathComponent()
        .appendingPathComponent("shared/corpus/files").path
    static var corpusFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: corpus)) ?? []).filter {
            $0.hasSuffix(".pcap") || $0.hasSuffix(".pcapng")
        }.sorted().map { "\(corpus)/\($0)" }
    }

    static func rendered(_ source: CaptureSource, framing: String?, workers: Int) throws -> String {
        var options = ReportOptions(framing: try framing.map { try FramingSpec(parsing: $0) })
        options.analysisWorkers = workers
        let report = try ReportBuilder.build(source: source, options: options)
        var json = ""
        report.writeJSON { json += $0 }
        return report.text(color: false) + json + report.jsonLines()
    }

    /// Many short line-framed connections over loopback, closing one after another (some with a RST after
    /// both FINs, which reaches a report a worker may still be making).
    static func manyFlows(_ count: Int) throws -> [UInt8] {
        let path = NSTemporaryDirectory() + "seam-parallel-\(getpid()).pcap"
        defer { unlink(path) }
        let writer = try PcapWriter(path: path, linkType: .ethernet)
        var time: Int64 = 1_700_000_000_000_000_000
        for index in 0..<count {
            let client = Endpoint("127.0.0.1:\(20000 + index)")!
            let server = Endpoint("127.0.0.1:9000")!
            var conversation = TCPConversationBuilder(
                client: client, server: server, start: Timestamp(nanoseconds: time))
            conversation.handshake()
            conversation.send(Array("GET \(index)\nMORE\n".utf8), from: .clientToServer)
            conversation.send(Array("OK \(index)\npartial".utf8), from: .serverToClient)
            conversation.close()
            if index % 7 == 0 { conversation.reset(from: .serverToClient) }
            for record in conversation.records {
                try writer.writePacket(timestamp: record.timestamp, data: record.data)
            }
            time += 20_000_000  // one after another: each closes (and goes quiet) while later ones are read
        }
        try writer.close()
        return try Array(Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @Test("Pooled analysis gives the serial report: many closing flows, line framing", arguments: [nil, "line"])
    func manyClosingFlows(framing: String?) throws {
        let source = CaptureSource.bytes(try Self.manyFlows(400), name: "many.pcap")
        let serial = try Self.rendered(source, framing: framing, workers: 1)
        for workers in [2, 4] {
            #expect(try Self.rendered(source, framing: framing, workers: workers) == serial)
        }
    }

    @Test("Pooled analysis gives the serial report on every corpus file")
    func corpusFiles() throws {
        for path in Self.corpusFiles {
            let serial = try? Self.rendered(.path(path), framing: "line", workers: 1)
            let pooled = try? Self.rendered(.path(path), framing: "line", workers: 3)
            #expect(pooled == serial, "\(path)")
        }
    }

    @Test("The demo sessions (calls switch the pool off) give their serial reports")
    func sessions() throws {
        for stem in DemoCaptureGoldenTests.stems {
            let path = DemoCaptureGoldenTests.captures.appendingPathComponent("\(stem).pcapng").path
            #expect(try Self.rendered(.path(path), framing: nil, workers: 2) == Self.rendered(.path(path), framing: nil, workers: 1))
        }
    }
}
