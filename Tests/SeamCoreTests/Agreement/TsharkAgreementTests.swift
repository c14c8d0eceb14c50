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

extension TsharkAgreementTests {
    /// ≥ 200 fresh loopback connections of mixed sizes (ping-pong, pipelined, bulk), captured by tcpdump.
    @Test func freshLoopbackCaptureAgreesWithTshark() throws {
        let tcpdump = "/usr/bin/tcpdump"
        guard Tshark.isAvailable, FileManager.default.isExecutableFile(atPath: tcpdump), getuid() == 0 else {
            print("skipped: needs root, tcpdump and tshark to capture loopback traffic (CI has them)")
            return
        }
        let port = try FreePort.tcp()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("seam-agree-\(port).pcap").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        let capture = Process()
        capture.executableURL = URL(fileURLWithPath: tcpdump)
        capture.arguments = ["-i", "lo", "-U", "-B", "32768", "-w", file, "tcp port \(port)"]
        capture.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try capture.run()
        // tcpdump needs a moment to arm the capture; there is no portable signal for it.
        usleep(1_000_000)
        let traffic = Process()
        traffic.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        traffic.arguments = [
            "python3", Self.fixtures.appendingPathComponent("scripts/loopback_traffic.py").path, "--port", "\(port)",
            "--connections", "220", "--seed", "7",
        ]
        try traffic.run()
        traffic.waitUntilExit()
        usleep(300_000)
        // The test runner may block SIGINT/SIGTERM in children; -U wrote every packet already, so end it for sure.
        capture.terminate()
        for _ in 0..<30 where capture.isRunning { usleep(100_000) }
        if capture.isRunning { kill(capture.processIdentifier, SIGKILL) }
        capture.waitUntilExit()
        #expect(traffic.terminationStatus == 0)
        let table = FlowTable()
        let scanner = try CaptureScanner(path: file, table: table)
        scanner.run()
        #expect(table.tcpFlowCount == 220)
        try checkAgreement(file)
    }
}

enum FreePort {
    /// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then released).
    static func tcp() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(fd, pointer, length) == 0 else { return -1 }
                return getsockname(fd, pointer, &length)
            }
        }
        guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
        return UInt16(bigEndian: address.sin_port)
    }
}
