import Foundation
import SeamCheck
import SeamCore
import SeamTestSupport
import Testing

/// `seam check --client` with the seed's remote-command clients (examples/python): the one that takes one
/// recv(1024) for a whole answer is caught, the one that reads the header and then exactly that many bytes passes.
@Suite(.serialized) struct ClientCheckTests {
    static let examples = PackageRoot.path + "/examples/python/"

    /// Records what remote_command_server.py answers to the clients' two commands, as a session would.
    func recordRemoteCommand(header: Bool) throws -> RecordedExchange {
        let port = FixtureServer.freePort()
        // It serves one client: no readiness probe, the connect below retries until it listens.
        let server = try FixtureServer(
            ["python3", Self.examples + "remote_command_server.py", "--port", String(port)]
                + (header ? ["--header"] : []),
            port: port,
            probe: false
        )
        defer { server.stop() }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        var connected = false
        for _ in 0..<100 where !connected {
            connected =
                withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                } == 0
            if !connected { usleep(50_000) }
        }
        guard connected else { throw FixtureError(what: "remote_command_server.py did not listen on \(port)") }
        var steps: [(client: [[UInt8]], server: [UInt8])] = []
        for command in ["ls -l", "cat notes.txt"] {
            _ = Array(command.utf8).withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            var answer: [UInt8] = []
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            while poll(&entry, 1, 300) > 0 {
                var buffer = [UInt8](repeating: 0, count: 65536)
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, 65536, 0) }
                if n <= 0 { break }
                answer += buffer.prefix(n)
            }
            steps.append((client: [Array(command.utf8)], server: answer))
        }
        return exchange(steps)
    }

    @Test func catchesTheClientThatTakesOneRecvForAWholeAnswer() async throws {
        let recorded = try await offPool { try self.recordRemoteCommand(header: false) }
        #expect(recorded.serverBytes.count > 5000)
        var check = ClientCheck(
            listen: Endpoint(address: .v4(0x7f00_0001), port: 0),
            command: ["python3", Self.examples + "remote_command_client_bug.py", "--port", "{port}"],
            framing: nil,
            seed: 1,
            budgetSeconds: 20,
            pauseMilliseconds: 600
        )  // well past its 150 ms think time, even on a loaded machine
        check.timing.endTimeoutSeconds = 3
        let bug = check
        let result = try await offPool { try bug.run([recorded]) }
        let finding = try #require(result.finding)
        #expect(finding.chunking.changes.count == 1, "\(finding.chunking)")
        #expect(
            finding.sentence.contains("answer 0 cut after byte")
                || finding.sentence.contains("answer 1 cut after byte"),
            "\(finding.sentence)"
        )
        #expect(finding.sentence.contains("sent its next request"), "\(finding.sentence)")
    }

    @Test func passesTheClientThatReadsTheHeaderAndThenExactly() async throws {
        let recorded = try await offPool { try self.recordRemoteCommand(header: true) }
        var check = ClientCheck(
            listen: Endpoint(address: .v4(0x7f00_0001), port: 0),
            command: ["python3", Self.examples + "remote_command_client_fixed.py", "--port", "{port}"],
            framing: .pythonStruct,
            seed: 1,
            budgetSeconds: 10,
            pauseMilliseconds: 250
        )
        check.timing.endTimeoutSeconds = 3
        let started = now()
        let fixed = check
        let result = try await offPool { try fixed.run([recorded]) }
        #expect(result.finding == nil, "\(result.finding?.sentence ?? "")")
        #expect(result.tried >= 4)
        #expect(now() - started < 20)
    }
}
