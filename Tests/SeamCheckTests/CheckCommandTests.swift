import Foundation
import SeamCore
import SeamTestSupport
import Testing

/// The `seam proxy --rechunk` and `seam check` commands end to end, with the built binary: a session recorded
/// through a re-chunking proxy, checked against a buggy and a correct server, and the finding's session file
/// explained by `seam report`.
@Suite(.serialized) struct CheckCommandTests {
    /// Runs the seam binary off the cooperative pool; returns its exit status and standard output.
    func seam(_ arguments: [String], timeout: Double = 30) async throws -> (status: Int32, output: String) {
        try await offPool { try Self.run(arguments, timeout: timeout) }
    }

    static func run(_ arguments: [String], timeout: Double) throws -> (status: Int32, output: String) {
        guard let binary = PackageRoot.seamBinary else { throw FixtureError(what: PackageRoot.seamBinaryMissing) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func usageErrorsExitTwo() async throws {
        guard PackageRoot.seamBinary != nil else { return print("skipped: \(PackageRoot.seamBinaryMissing)") }
        #expect(try await seam(["check", "/nonexistent"]).status == 2)
        #expect(try await seam(["check", "/nonexistent", "--to", "10.1.2.3:80"]).status == 2, "not loopback")
        #expect(try await seam(["check", "/nonexistent", "--to", "127.0.0.1:80", "--framing", "bogus:1"]).status == 2)
        #expect(
            try await seam(["check", "/nonexistent", "--to", "127.0.0.1:80"]).status == 1,
            "a missing file is an error"
        )
        #expect(try await seam(["proxy", "--to", "127.0.0.1:80", "--rechunk", "c2s=split:0"]).status == 2)
    }

    @Test func aSessionRecordedThroughARechunkingProxyIsCheckedAndExplained() async throws {
        guard PackageRoot.seamBinary != nil else { return print("skipped: \(PackageRoot.seamBinaryMissing)") }
        let line = try FixtureServer.mode("line")
        defer { line.stop() }
        let session = temporaryPath("check-proxy.pcapng")
        let finding = temporaryPath("check-finding.pcapng")
        defer {
            unlink(session)
            unlink(finding)
        }
        let proxyPort = FixtureServer.freePort()
        let linePort = line.port
        try await offPool { try Self.record(session, proxyPort: proxyPort, serverPort: linePort) }

        let report = try await seam(["report", session])
        #expect(report.output.contains("on purpose"), "\(report.output)")

        let buggy = try FixtureServer.mode("recv-as-request")
        defer { buggy.stop() }
        let found = try await seam([
            "check", session, "--to", "127.0.0.1:\(buggy.port)", "--budget", "5", "-o", finding,
        ])
        #expect(found.status == 3, "\(found.output)")
        #expect(found.output.contains("✗ connection 1: request "), "\(found.output)")
        #expect(found.output.contains("--chunking "), "\(found.output)")
        var info = stat()
        #expect(stat(finding, &info) == 0 && info.st_mode & 0o777 == 0o600)
        let explained = try await seam(["report", finding])
        #expect(explained.output.contains("on purpose"), "\(explained.output)")

        let passed = try await seam(["check", session, "--to", "127.0.0.1:\(line.port)", "--budget", "2"])
        #expect(passed.status == 0, "\(passed.output)")
        #expect(passed.output.contains("no chunking changed"), "\(passed.output)")
    }

    /// Records `session` through `seam proxy --rechunk c2s=split:3` while a client sends three lines.
    static func record(_ session: String, proxyPort: UInt16, serverPort: UInt16) throws {
        let binary = PackageRoot.seamBinary!
        let proxy = Process()
        proxy.executableURL = URL(fileURLWithPath: binary)
        proxy.arguments = [
            "proxy", "--listen", "127.0.0.1:\(proxyPort)", "--to", "127.0.0.1:\(serverPort)", "--record", session,
            "--no-capture", "--quiet", "--connections", "1", "--framing", "line", "--rechunk", "c2s=split:3",
            "--rechunk-delay", "5",
        ]
        proxy.standardOutput = FileHandle.nullDevice
        proxy.standardError = FileHandle.nullDevice
        try proxy.run()
        let client = try FixtureServer(
            [
                "python3", "-c",
                "import socket,time\nfor i in range(100):\n    try:\n        s=socket.create_connection(('127.0.0.1',\(proxyPort))); break\n"
                    + "    except OSError: time.sleep(0.05)\nfor m in [b'hello\\n', b'world\\n', b'third line\\n']:\n"
                    + "    s.sendall(m); time.sleep(0.05); s.recv(100)\ns.close()\nprint('PORT 1', flush=True)\nimport sys; sys.stdin.read()",
            ])
        client.stop()
        for _ in 0..<500 where proxy.isRunning { usleep(10_000) }
        if proxy.isRunning { proxy.terminate() }
        proxy.waitUntilExit()

    }

    @Test func theClientCheckCatchesTheSeedsRemoteCommandClient() async throws {
        guard PackageRoot.seamBinary != nil else { return print("skipped: \(PackageRoot.seamBinaryMissing)") }
        let session = temporaryPath("check-remote.pcapng")
        defer { unlink(session) }
        let examples = PackageRoot.path + "/examples/python/"
        try await offPool {
            let serverPort = FixtureServer.freePort()
            let proxyPort = FixtureServer.freePort()
            let server = try FixtureServer(
                ["python3", examples + "remote_command_server.py", "--port", String(serverPort)], port: serverPort,
                probe: false)
            defer { server.stop() }
            let proxy = Process()
            proxy.executableURL = URL(fileURLWithPath: PackageRoot.seamBinary!)
            proxy.arguments = [
                "proxy", "--listen", "127.0.0.1:\(proxyPort)", "--to", "127.0.0.1:\(serverPort)", "--record", session,
                "--no-capture", "--quiet", "--connections", "1",
            ]
            proxy.standardOutput = FileHandle.nullDevice
            proxy.standardError = FileHandle.nullDevice
            try proxy.run()
            usleep(1_000_000)  // both listening (python starts slowly on a loaded machine)
            let client = Process()
            client.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            client.arguments = ["python3", examples + "remote_command_client_bug.py", "--port", String(proxyPort)]
            client.standardOutput = FileHandle.nullDevice
            client.standardError = FileHandle.nullDevice
            try client.run()
            client.waitUntilExit()
            for _ in 0..<500 where proxy.isRunning { usleep(10_000) }
            if proxy.isRunning { proxy.terminate() }
            proxy.waitUntilExit()
        }
        let found = try await seam(
            [
                "check", session, "--client", "--budget", "20", "--pause", "600", "--",
                "python3", examples + "remote_command_client_bug.py", "--port", "{port}",
            ], timeout: 60)
        #expect(found.status == 3, "\(found.output)")
        #expect(found.output.contains("sent its next request"), "\(found.output)")
        #expect(found.output.contains("--client"), "\(found.output)")
    }
}
