import Foundation
import Testing

@testable import SeamCore

/// Seam and tshark must agree on every capture: the same TCP and UDP flows (Wireshark's stream numbers), and
/// every direction of every TCP stream byte-identical to `tshark -q -z follow,tcp,raw,N` — the bytes after
/// holes included — under the rule of `FollowRendering` (an acknowledged hole is Follow's
/// "[N bytes missing in capture file]" marker with its NUL, as its raw output has it; a snaplen cut is nothing).
///
/// tshark runs with its defaults. `-o tcp.reassemble_out_of_order:TRUE` changes what dissectors are given, not
/// Follow: its tap takes each segment's own bytes before desegmentation, so the output is the same with and
/// without it on every corpus file (`followDoesNotDependOnOutOfOrderReassembly` checks the files with
/// out-of-order segments).
///
/// The captures: every file of the shared corpus (`TestCorpus`) and of `Tests/Fixtures/files` (Seam's own
/// BIG TCP loopback captures). Each file prints one line: streams compared, streams identical, markers.
@Suite(.serialized) struct TsharkAgreementTests {
    static let fixtures = TestCorpus.packageRoot.appendingPathComponent("Tests/Fixtures")

    static func captureFiles() -> [String] {
        var files: [String] = []
        let folders = [URL(fileURLWithPath: TestCorpus.directory), fixtures.appendingPathComponent("files")]
        for folder in folders {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            files += names.filter { $0.hasSuffix(".pcap") || $0.hasSuffix(".pcapng") }.sorted()
                .map { folder.appendingPathComponent($0).path }
        }
        return files
    }

    /// What one file's comparison found.
    struct Agreement {
        var streams = 0
        var identical = 0
        var markers = 0
    }

    @Test func corpusAgreesWithTshark() throws {
        guard Tshark.isAvailable else {
            print("skipped: tshark is not installed (apt-get install tshark); agreement not checked")
            return
        }
        if let reason = TestCorpus.missingReason { print("skipped part: \(reason)") }
        let files = Self.captureFiles()
        var total = Agreement()
        for file in files {
            let result = try checkAgreement(file)
            total.streams += result.streams
            total.identical += result.identical
            total.markers += result.markers
            print(
                "agreement: \((file as NSString).lastPathComponent): \(result.identical) of \(result.streams) TCP "
                    + "streams byte-identical both ways (\(result.markers) missing-bytes markers)")
        }
        print("agreement: \(files.count) files, \(total.identical) of \(total.streams) streams identical")
        #expect(total.identical == total.streams)
        if TestCorpus.isAvailable { #expect(files.count >= 60, "the corpus holds 62 captures") }
    }

    /// Follow's output does not change with out-of-order reassembly, on the files that have out-of-order
    /// segments, so the agreement runs tshark with its defaults.
    @Test func followDoesNotDependOnOutOfOrderReassembly() throws {
        guard Tshark.isAvailable, TestCorpus.isAvailable else {
            print("skipped: needs tshark and the corpus (\(TestCorpus.missingReason ?? "tshark is not installed"))")
            return
        }
        for name in ["zeek--206_example_b.pcap", "zeek--reassembly.pcap", "zeek--ctu-64702-888.pcap",
            "arkime--tcpseq_synthetic.pcap", "pcpp--many-protocols.pcap"]
        {
            let file = TestCorpus.path(name)
            let streams = try Tshark.streams(file).tcp.sorted()
            let plain = try Tshark.follow(file, streams: streams)
            let reordered = try Tshark.follow(
                file, streams: streams, options: ["-o", "tcp.reassemble_out_of_order:TRUE"])
            #expect(!plain.isEmpty)
            for id in streams {
                #expect(plain[id]?.fromNode0 == reordered[id]?.fromNode0, "\(name) tcp.\(id) node 0")
                #expect(plain[id]?.fromNode1 == reordered[id]?.fromNode1, "\(name) tcp.\(id) node 1")
            }
        }
    }

    /// Compares one capture; records an issue for every flow count or direction that differs.
    @discardableResult
    func checkAgreement(_ file: String) throws -> Agreement {
        let rendering = FollowRendering()
        let table = FlowTable(consumers: [rendering])
        let scanner = try CaptureScanner(path: file, table: table)
        scanner.run()
        let name = (file as NSString).lastPathComponent
        let expected = try Tshark.streams(file)
        #expect(table.tcpFlowCount == expected.tcp.count, "\(name): TCP flows")
        #expect(table.udpFlowCount == expected.udp.count, "\(name): UDP flows")
        var result = Agreement()
        let followed = try Tshark.follow(file, streams: expected.tcp.sorted())
        for (id, stream) in followed.sorted(by: { $0.key < $1.key }) {
            let flowID = FlowID(proto: .tcp, index: id)
            let mine = rendering.streams[flowID] ?? [:]
            result.streams += 1
            result.markers += stream.markers
            if let flow = table.flow(flowID) {
                let nodes = Set([stream.node0, stream.node1])
                #expect(nodes == Set([flow.client.description, flow.server.description]), "\(name) tcp.\(id): nodes")
            }
            let a = mine[stream.node0] ?? []
            let b = mine[stream.node1] ?? []
            let sameA = a == stream.fromNode0
            let sameB = b == stream.fromNode1
            #expect(sameA, "\(name) tcp.\(id) from \(stream.node0): \(a.count) vs tshark \(stream.fromNode0.count) bytes")
            #expect(sameB, "\(name) tcp.\(id) from \(stream.node1): \(b.count) vs tshark \(stream.fromNode1.count) bytes")
            if sameA && sameB { result.identical += 1 }
        }
        #expect(followed.count == expected.tcp.count, "\(name): every stream followed")
        return result
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
        let result = try checkAgreement(file)
        #expect(result.streams == 220 && result.identical == result.streams)
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
