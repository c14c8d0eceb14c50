#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import NIOCore
import NIOPosix
import SeamCore
import Testing

@testable import SeamProxy

private func temporaryPath(_ name: String) -> String {
    "/tmp/seam-proxy-test-\(getpid())-\(name).pcapng"
}

private func readBack(_ path: String) throws -> (calls: [SessionCall], packets: [PacketRecord], comments: [String]) {
    let reader = try CaptureFileReader(path: path)
    var calls: [SessionCall] = []
    var packets: [PacketRecord] = []
    while let record = try reader.next() {
        if record.linkType == .wiresharkUpperPDU {
            calls.append(try SessionCall.decode(record: record))
        } else {
            packets.append(record)
        }
    }
    return (calls, packets, reader.sectionComments)
}

private let tsharkPath: String? = ["/usr/bin/tshark", "/usr/local/bin/tshark"].first { (path: String) in access(path, X_OK) == 0 }

/// Runs tshark on the file and returns its stdout lines (one per packet).
private func tshark(_ arguments: [String]) -> (status: Int32, lines: [String]) {
    guard let tsharkPath else { return (-1, []) }
    let command = ([tsharkPath] + arguments).map { "'\($0)'" }.joined(separator: " ") + " 2>/dev/null"
    guard let pipe = popen(command, "r") else { return (-1, []) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = fread(&buffer, 1, buffer.count, pipe)
        if n <= 0 { break }
        bytes += buffer.prefix(n)
    }
    let output = String(decoding: bytes, as: UTF8.self)
    let status = pclose(pipe)
    return (status, output.split(separator: "\n").map(String.init))
}

@Suite(.serialized) struct SessionRecorderTests {
    @Test func callsAndCapturedPacketsAreWrittenInTimestampOrder() throws {
        let path = temporaryPath("order")
        defer { unlink(path) }
        var settings = SessionSettings()
        settings["listen"] = "127.0.0.1:8081"
        let recorder = try SessionRecorder(path: path, settings: settings, reorderWindowMilliseconds: 5_000)
        let capture = try recorder.addCaptureInterface(linkType: .raw, name: "lo")
        let base = Timestamp.now().nanoseconds
        // Handed in out of order, from two threads.
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            for i in stride(from: 9, through: 1, by: -2) {
                recorder.record(
                    ProxyCall(
                        kind: .recv, connection: 1, leg: .downstream, direction: .clientToServer, offset: UInt64(i),
                        length: 1, timestamp: Timestamp(nanoseconds: base + Int64(i) * 1000), payload: ByteBuffer(bytes: [UInt8(i)])))
            }
        }
        DispatchQueue.global().async(group: group) {
            for i in stride(from: 8, through: 0, by: -2) {
                recorder.record(
                    packet: PacketRecord(
                        timestamp: Timestamp(nanoseconds: base + Int64(i) * 1000), linkType: .raw, originalLength: 1,
                        data: [UInt8(i)]),
                    interface: capture)
            }
        }
        group.wait()
        let statistics = try recorder.close()
        #expect(statistics.callsWritten == 5)
        #expect(statistics.packetsWritten == 5)
        #expect(statistics.dropped == 0)
        let reader = try CaptureFileReader(path: path)
        var order: [UInt8] = []
        while let record = try reader.next() {
            order.append(record.linkType == .raw ? record.data.first! : (try SessionCall.decode(record: record)).payload!.first!)
        }
        #expect(order == Array(0...9))
        #expect(reader.sectionComments.first?.contains("listen=127.0.0.1:8081") == true)
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o600)
    }

    @Test func aFullQueueDropsAndCountsInsteadOfStalling() throws {
        let path = temporaryPath("drop")
        defer { unlink(path) }
        let recorder = try SessionRecorder(
            path: path, settings: SessionSettings(), reorderWindowMilliseconds: 10_000, capacity: 10)
        for i in 0..<25 { recorder.record(ProxyCall(kind: .close, connection: i, leg: .upstream)) }
        let statistics = try recorder.close()
        #expect(statistics.callsWritten == 10, "the ten held in the reorder window are written at close")
        #expect(statistics.dropped == 15)
        let (calls, _, _) = try readBack(path)  // the drop statistics block does not upset the reader
        #expect(calls.map(\.connection) == Array(0..<10))
    }

    @Test func anUnwritablePathIsAClearError() {
        #expect(throws: ProxyError.self) {
            try SessionRecorder(path: "/nonexistent-dir/session.pcapng", settings: SessionSettings())
        }
    }

    @Test func aRecordedProxySessionReadsBackWithSeamCoreAndTshark() async throws {
        let path = temporaryPath("session")
        defer { unlink(path) }
        let group = MultiThreadedEventLoopGroup.singleton
        let echo = try await EchoServer(group: group)
        var configuration = ProxyConfiguration(listen: Endpoint("127.0.0.1:0")!, upstream: Endpoint("127.0.0.1:\(echo.port)")!)
        configuration.recvSize = 7
        configuration.quiet = true
        var settings = SessionSettings()
        for (key, value) in configuration.settingsWords { settings[key] = value }
        let recorder = try SessionRecorder(path: path, settings: settings)
        let server = ProxyServer(configuration: configuration, sink: recorder, group: group)
        let port = try await server.start().port!
        let run = Task { try await server.run() }
        let message = Array("one line of text, thirty bytes".utf8)
        let reply = try await onThread { () -> [UInt8] in
            let client = try TestSocket.connect(port: port)
            defer { client.close() }
            try client.send(message)
            client.shutdownWrite()
            return try client.readToEnd()
        }
        #expect(reply == message)
        #expect(await eventually { server.statistics.closedConnections == 1 })
        server.shutdown()
        _ = try await run.value
        let statistics = try recorder.close()
        await echo.close()

        let (calls, packets, comments) = try readBack(path)
        #expect(packets.isEmpty)
        #expect(UInt64(calls.count) == statistics.callsWritten)
        #expect(comments.first?.contains("recv-size=7") == true)
        #expect(calls.first?.kind == .accept)
        #expect(calls.contains { $0.kind == .connect && $0.source != nil && $0.destination?.port == UInt16(echo.port) })
        let recvs = calls.filter { $0.kind == .recv && $0.leg == .downstream && ($0.length ?? 0) > 0 }
        #expect(recvs.allSatisfy { $0.length! <= 7 && $0.bufferSize == 7 })
        #expect(recvs.flatMap { $0.payload ?? [] } == message)
        let sends = calls.filter { $0.kind == .send && $0.leg == .upstream }
        #expect(sends.map(\.offset) == recvs.map(\.offset))
        #expect(zip(calls, calls.dropFirst()).allSatisfy { $0.timestamp <= $1.timestamp })

        guard tsharkPath != nil else {
            print("skipping the tshark check: tshark is not installed")
            return
        }
        let all = tshark(["-r", path])
        #expect(all.status == 0)
        #expect(all.lines.count == calls.count)
        let upper = tshark(["-r", path, "-Y", "frame.encap_type == 155 || frame.comment", "-T", "fields", "-e", "frame.comment"])
        #expect(upper.lines.filter { $0.hasPrefix("call=") }.count == calls.count, "tshark shows every call packet")
    }
}
