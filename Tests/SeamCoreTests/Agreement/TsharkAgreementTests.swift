import Foundation
import Testing

@testable import SeamCore

/// Seam and tshark must agree on every capture: the same TCP and UDP flows (Wireshark's stream numbers), and
/// byte-identical reassembled TCP directions (`tshark -z follow,tcp,raw`).
@Suite(.serialized) struct TsharkAgreementTests {
    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/corpus/files")
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func captureFiles() -> [String] {
        var files: [String] = []
        for folder in [corpus, fixtures.appendingPathComponent("streams"), fixtures.appendingPathComponent("files")] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            files += names.filter { $0.hasSuffix(".pcap") || $0.hasSuffix(".pcapng") }.sorted()
                .map { folder.appendingPathComponent($0).path }
        }
        return files
    }

    @Test func corpusAgreesWithTshark() throws {
        guard Tshark.isAvailable else {
            print("skipped: tshark is not installed (apt-get install tshark); agreement not checked")
            return
        }
        let files = Self.captureFiles()
        if files.isEmpty { print("skipped: no corpus at \(Self.corpus.path)") }
        for file in files {
            try checkAgreement(file)
        }
    }

    /// Seam's view of one capture: flows and each TCP direction's bytes keyed by sending endpoint.
    final class Collector: StreamConsumer {
        var bytes: [FlowID: [String: [UInt8]]] = [:]
        func tcpData(_ data: ArraySlice<UInt8>, at offset: UInt64, direction: Direction, time: Timestamp, in flow: FlowState) {
            let sender = direction == .clientToServer ? flow.client : flow.server
            bytes[flow.id, default: [:]][sender.description, default: []] += data
        }
    }

    func checkAgreement(_ file: String) throws {
        let collector = Collector()
        let table = FlowTable(consumers: [collector])
        let scanner = try CaptureScanner(path: file, table: table)
        scanner.run()
        let name = (file as NSString).lastPathComponent
        let expected = try Tshark.streams(file)
        #expect(table.tcpFlowCount == expected.tcp.count, "\(name): TCP flows")
        #expect(table.udpFlowCount == expected.udp.count, "\(name): UDP flows")
        let followed = try Tshark.follow(file, streams: expected.tcpWithData.sorted())
        for (id, stream) in followed {
            let mine = collector.bytes[FlowID(proto: .tcp, index: id)] ?? [:]
            let a = mine[stream.node0] ?? []
            let b = mine[stream.node1] ?? []
            let sameA = a == stream.fromNode0
            let sameB = b == stream.fromNode1
            #expect(sameA, "\(name) tcp.\(id) from \(stream.node0): \(a.count) vs tshark \(stream.fromNode0.count) bytes")
            #expect(sameB, "\(name) tcp.\(id) from \(stream.node1): \(b.count) vs tshark \(stream.fromNode1.count) bytes")
        }
    }
}
