#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import NIOPosix
import SeamCore
import SeamRecording
import SeamTestSupport
import Testing

@testable import SeamProxy

/// A proxy session recorded through `SessionRecorder` reads back with SeamCore and opens in tshark, with the
/// calls in the Protocol and Info columns.
@Suite(.serialized) struct ProxySessionFileTests {
    @Test func aRecordedProxySessionReadsBackWithSeamCoreAndTshark() async throws {
        let path = temporaryPath("proxy-session.pcapng")
        defer { unlink(path) }
        let group = MultiThreadedEventLoopGroup.singleton
        let echo = try await EchoServer(group: group)
        var configuration = ProxyConfiguration(
            listen: Endpoint("127.0.0.1:0")!, upstream: Endpoint("127.0.0.1:\(echo.port)")!)
        configuration.recvSize = 7
        configuration.quiet = true
        var settings = SessionSettings()
        for (key, value) in configuration.settingsWords { settings[key] = value }
        let recorder = try SessionRecorder(path: path, settings: settings, recorder: "seam proxy")
        let server = ProxyServer(configuration: configuration, sink: recorder, group: group)
        let port = try await server.start().port!
        let running = Task { try await server.run() }
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
        _ = try await running.value
        let statistics = try recorder.close()
        await echo.close()

        let file = try SessionFile(path: path)
        let calls = file.calls
        #expect(file.packets.isEmpty)
        #expect(UInt64(calls.count) == statistics.callsWritten)
        #expect(file.sectionComments.first?.contains("recv-size=7") == true)
        #expect(calls.first?.kind == .accept)
        #expect(calls.contains { $0.kind == .connect && $0.source != nil && $0.destination?.port == UInt16(echo.port) })
        let recvs = calls.filter { $0.kind == .recv && $0.leg == .downstream && ($0.length ?? 0) > 0 }
        #expect(recvs.allSatisfy { $0.length! <= 7 && $0.bufferSize == 7 })
        #expect(recvs.flatMap { $0.payload ?? [] } == message)
        let sends = calls.filter { $0.kind == .send && $0.leg == .upstream }
        #expect(sends.map(\.offset) == recvs.map(\.offset))
        #expect(zip(calls, calls.dropFirst()).allSatisfy { $0.timestamp <= $1.timestamp })

        let installed: [String] = ["/usr/bin/tshark", "/usr/local/bin/tshark"]
        guard let tshark = installed.first(where: { (path: String) in access(path, X_OK) == 0 }) else {
            print("skipping the tshark check: tshark is not installed")
            return
        }
        let script = PackageRoot.path + "/share/wireshark/seam.lua"
        let lua: [String] = ["-X", "lua_script:" + script, "-r", path]
        let listing = try output(tshark, lua + ["-T", "fields", "-e", "_ws.col.Protocol", "-e", "_ws.col.Info"])
        let rows = listing.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
        #expect(rows.count == calls.count)
        #expect(rows.allSatisfy { $0.first == "seam" }, "every call shows as seam in the Protocol column")
        #expect(rows.contains { $0.count > 1 && $0[1] == "recv c2s [0,7) 7 B (buf 7) \"one lin\"" }, "\(rows.prefix(4))")
        let filtered = try output(tshark, lua + ["-Y", "seam.call == \"send\" && seam.leg == \"upstream\""])
        #expect(filtered.split(separator: "\n").count == sends.count)
    }

    /// Runs a program and returns its standard output.
    private func output(_ program: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
