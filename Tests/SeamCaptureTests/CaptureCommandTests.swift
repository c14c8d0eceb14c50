import Foundation
import SeamCore
import Testing

@testable import SeamCapture

/// `seam capture` as a user runs it: the built binary in a child process.
@Suite("seam capture", .enabled(if: SeamProcess.binary != nil, "needs the seam binary (swift build)"))
struct CaptureCommandTests {
    static let toServer: [[UInt8]] = [Array("GET / HTTP/1.0\r\n\r\n".utf8), Array("second\n".utf8)]
    static let toClient: [[UInt8]] = [Array("HTTP/1.0 200 OK\r\n\r\n".utf8), Array(repeating: 0xa5, count: 5000)]

    /// Captures one loopback exchange with `seam capture`, ended by `signal`; returns the file and the child.
    private func captureExchange(
        extra: [String],
        file name: String,
        signal: Int32
    ) throws
        -> (path: String, child: SeamProcess, exchange: LoopbackExchange, client: Endpoint)
    {
        let directory = try SeamProcess.temporaryDirectory()
        let path = directory + "/" + name
        let exchange = try LoopbackExchange()
        let child = try SeamProcess(
            ["capture", "-i", LiveCapture.loopbackInterfaceName, "-f", "tcp port \(exchange.port)", "-w", path]
                + extra,
            in: directory
        )
        try #require(child.waitForStderr(containing: "listening on"), "seam capture did not start: \(child.stderr)")
        let client = try exchange.run(toServer: Self.toServer, toClient: Self.toClient)
        usleep(50_000)
        child.send(signal)
        #expect(child.waitForExit() == 0, "\(child.stderr)")
        return (path, child, exchange, client)
    }

    @Test(
        "a loopback exchange, ended by SIGINT: exact payload per direction, 0600, drops reported, tshark agrees",
        .enabled(if: CaptureTestSupport.canCaptureOnLoopback, "needs root or CAP_NET_RAW")
    )
    func pcapngExchange() throws {
        let (path, child, exchange, client) = try captureExchange(extra: [], file: "x.pcapng", signal: SIGINT)
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        let reader = try CaptureFileReader(path: path)
        #expect(reader.format == .pcapng)
        var records: [PacketRecord] = []
        while let record = try reader.next() { records.append(record) }
        #expect(reader.interfaces.first?.linkType == .ethernet)
        #expect(reader.sectionComments.first?.hasPrefix("seam-capture interface=lo") == true)
        let segments = records.compactMap { TestFrames.tcpSegment(inEthernet: Array($0.data)) }
        #expect(segments.count == records.count)
        let c2s = segments.filter { $0.source == client }.flatMap(\.payload)
        let s2c = segments.filter { $0.source == exchange.server }.flatMap(\.payload)
        #expect(c2s == Self.toServer.flatMap { $0 })
        #expect(s2c == Self.toClient.flatMap { $0 })

        let summary = try #require(child.stderrLines.last)
        #expect(summary.hasPrefix("seam: capture: \(records.count) packets written to \(path); "), "\(summary)")
        #expect(summary.contains(" 0 dropped by kernel, 0 dropped by interface"), "\(summary)")
        let statistics = try #require(PcapngStatistics(path: path))
        #expect(statistics.dropped == 0)
        #expect((statistics.received ?? 0) >= UInt64(records.count))

        // What tcpdump and tshark read from the file: the same packets, the same payload per direction.
        if let tcpdump = try SeamProcess.output(of: "tcpdump", ["-nr", path]) {
            #expect(tcpdump.split(separator: "\n").count == records.count)
        } else {
            print("skipping the tcpdump comparison: tcpdump not installed")
        }
        guard
            let tshark = try SeamProcess.output(
                of: "tshark",
                ["-r", path, "-Y", "tcp.len > 0", "-T", "fields", "-e", "tcp.srcport", "-e", "tcp.payload"]
            )
        else {
            print("skipping the tshark comparison: tshark not installed")
            return
        }
        var byPort: [String: String] = [:]
        for line in tshark.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 2 else { continue }
            byPort[String(fields[0]), default: ""] += fields[1]
        }
        #expect(byPort["\(client.port)"] == hex(Self.toServer.flatMap { $0 }))
        #expect(byPort["\(exchange.port)"] == hex(Self.toClient.flatMap { $0 }))
    }

    @Test(
        "--pcap writes classic pcap with nanoseconds, and SIGTERM finishes it too",
        .enabled(if: CaptureTestSupport.canCaptureOnLoopback, "needs root or CAP_NET_RAW")
    )
    func pcapExchange() throws {
        let (path, _, exchange, client) = try captureExchange(extra: ["--pcap"], file: "x.pcap", signal: SIGTERM)
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let magic = try #require(FileHandle(forReadingAtPath: path)?.readData(ofLength: 4))
        #expect(Array(magic) == [0x4d, 0x3c, 0xb2, 0xa1], "little-endian nanosecond pcap magic")
        let reader = try CaptureFileReader(path: path)
        #expect(reader.format == .pcap)
        var segments: [TestFrames.Segment] = []
        while let record = try reader.next() {
            segments += TestFrames.tcpSegment(inEthernet: Array(record.data)).map { [$0] } ?? []
        }
        #expect(segments.filter { $0.source == client }.flatMap(\.payload) == Self.toServer.flatMap { $0 })
        #expect(segments.filter { $0.source == exchange.server }.flatMap(\.payload) == Self.toClient.flatMap { $0 })
    }

    @Test(
        "--count N stops by itself after exactly N packets",
        .enabled(if: CaptureTestSupport.canCaptureOnLoopback, "needs root or CAP_NET_RAW")
    )
    func count() throws {
        let directory = try SeamProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/count.pcapng"
        let exchange = try LoopbackExchange()
        let child = try SeamProcess(
            ["capture", "-i", "lo", "-f", "tcp port \(exchange.port)", "-w", path, "--count", "3"],
            in: directory
        )
        try #require(child.waitForStderr(containing: "listening on"), "\(child.stderr)")
        try exchange.run(toServer: Self.toServer, toClient: Self.toClient)
        #expect(child.waitForExit(timeout: 5) == 0, "\(child.stderr)")
        let reader = try CaptureFileReader(path: path)
        var count = 0
        while try reader.next() != nil { count += 1 }
        #expect(count == 3)
        #expect(child.stderr.contains("seam: capture: 3 packets written to"))
    }

    @Test(
        "--duration stops by itself",
        .enabled(if: CaptureTestSupport.canCaptureOnLoopback, "needs root or CAP_NET_RAW")
    )
    func duration() throws {
        let directory = try SeamProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/duration.pcapng"
        let started = Date()
        let child = try SeamProcess(
            ["capture", "-i", "lo", "-f", "tcp port 1 and host 127.0.0.254", "-w", path, "--duration", "0.3"],
            in: directory
        )
        #expect(child.waitForExit(timeout: 5) == 0, "\(child.stderr)")
        let elapsed = Date().timeIntervalSince(started)
        #expect(elapsed >= 0.3 && elapsed < 3, "ran \(elapsed) s")
        #expect(child.stderr.contains("seam: capture: 0 packets written to \(path)"))
        #expect(PcapngStatistics(path: path) != nil, "the file ends with its statistics block")
    }

    @Test(
        "a missing interface or a bad filter: one clear line, exit 1, no file",
        .enabled(if: CaptureTestSupport.canCaptureOnLoopback, "needs root or CAP_NET_RAW")
    )
    func badInterfaceAndFilter() throws {
        let directory = try SeamProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/never.pcapng"
        let interface = try SeamProcess(["capture", "-i", "eth9", "-w", path], in: directory)
        #expect(interface.waitForExit() == 1)
        #expect(interface.stderrLines.count == 1)
        let line = interface.stderrLines.first ?? ""
        #expect(line.hasPrefix("seam: capture: no such interface \"eth9\" (available: lo"), "\(interface.stderr)")
        let filter = try SeamProcess(["capture", "-i", "lo", "-f", "tcp prt 80", "-w", path], in: directory)
        #expect(filter.waitForExit() == 1)
        #expect(filter.stderrLines == ["seam: capture: bad filter \"tcp prt 80\": syntax error"])
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test(
        "a file that cannot be created: one line naming it, exit 1; bad option values are usage errors, exit 2",
        .enabled(if: CaptureTestSupport.canCaptureOnLoopback, "needs root or CAP_NET_RAW")
    )
    func badFileAndUsage() throws {
        let directory = try SeamProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/missing/x.pcapng"
        let child = try SeamProcess(["capture", "-i", "lo", "-w", path], in: directory)
        #expect(child.waitForExit() == 1)
        #expect(child.stderrLines == ["seam: capture: \(path): cannot create: No such file or directory"])
        for arguments in [["--count", "0"], ["--duration", "-1"], ["--duration", "soon"]] {
            let usage = try SeamProcess(
                ["capture", "-i", "lo", "-w", directory + "/u.pcapng"] + arguments,
                in: directory
            )
            #expect(usage.waitForExit() == 2, "\(arguments)")
            #expect(usage.stderr.contains("Usage: seam capture"), "\(arguments)")
        }
        #expect(!FileManager.default.fileExists(atPath: directory + "/u.pcapng"))
    }

    @Test("without the privilege (simulated by SEAM_NO_CAPTURE_PRIVILEGE=1) it says how to get it, exit 1")
    func simulatedUnprivileged() throws {
        let directory = try SeamProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/never.pcapng"
        let child = try SeamProcess(
            ["capture", "-i", "lo", "-w", path],
            environment: ["SEAM_NO_CAPTURE_PRIVILEGE": "1"],
            in: directory
        )
        #expect(child.waitForExit() == 1)
        let line = try #require(child.stderrLines.first)
        #expect(child.stderrLines.count == 1)
        #expect(line.hasPrefix("seam: capture: no permission to capture on \"lo\""))
        #expect(line.contains("run as root"))
        #expect(line.contains("setcap cap_net_raw,cap_net_admin+eip \(SeamProcess.binary!)"))
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test(
        "a real unprivileged child (setpriv to nobody) gets the same advice",
        .enabled(if: getuid() == 0, "needs root to drop to nobody"),
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"), "needs setpriv")
    )
    func realUnprivileged() throws {
        let directory = try SeamProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let child = try SeamProcess(
            ["capture", "-i", "lo", "-w", directory + "/never.pcapng"],
            launcher: ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"],
            in: directory
        )
        #expect(child.waitForExit() == 1)
        let line = try #require(child.stderrLines.first, "\(child.stderr)")
        #expect(line.hasPrefix("seam: capture: no permission to capture on \"lo\" ("), "\(line)")
        #expect(line.contains("setcap cap_net_raw,cap_net_admin+eip"))
    }

    @Test(
        "the advice works: a copy of the binary with setcap captures as nobody",
        .enabled(if: getuid() == 0, "needs root to set capabilities and drop to nobody"),
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"), "needs setpriv"),
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/setcap"), "needs setcap")
    )
    func capabilityGrantsCapture() throws {
        let directory = try SeamProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: directory)
        let copy = directory + "/seam"
        try FileManager.default.copyItem(atPath: try #require(SeamProcess.binary), toPath: copy)
        guard try SeamProcess.status(of: "/usr/sbin/setcap", ["cap_net_raw,cap_net_admin+eip", copy]) == 0 else {
            print("skipping the capability test: setcap failed on \(directory) (no extended attributes?)")
            return
        }
        let path = directory + "/nobody.pcapng"
        let exchange = try LoopbackExchange()
        let child = try SeamProcess(
            ["capture", "-i", "lo", "-f", "tcp port \(exchange.port)", "-w", path, "--count", "4"],
            launcher: ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"],
            binary: copy,
            in: directory
        )
        try #require(child.waitForStderr(containing: "listening on"), "\(child.stderr)")
        try exchange.run(toServer: Self.toServer, toClient: Self.toClient)
        #expect(child.waitForExit() == 0, "\(child.stderr)")
        let owner = try FileManager.default.attributesOfItem(atPath: path)[.ownerAccountID] as? Int
        #expect(owner == 65534, "nobody wrote the file")
        #expect(child.stderr.contains("seam: capture: 4 packets written to"))
    }

    private func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
