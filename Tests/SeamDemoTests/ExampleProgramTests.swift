import Foundation
import SeamTestSupport
import Testing

/// Each script of `examples/python/` is run exactly as its docstring says, under `seam trace` and under
/// `seam proxy`, and Seam must say what the docstring says: the buggy program its verdicts, the fixed one
/// none. Ports are replaced by free ones and the session files go to a temporary directory.
@Suite(.serialized)
struct ExampleProgramTests {
    /// Why the runs cannot happen here, or `nil` when they can.
    static let skipReason: String? = {
        guard let binary = PackageRoot.seamBinary else { return PackageRoot.seamBinaryMissing }
        let directory = (binary as NSString).deletingLastPathComponent
        guard FileManager.default.fileExists(atPath: directory + "/libSeamPreload.so") else {
            return "needs libSeamPreload.so beside seam (swift build)"
        }
        guard findTool("python3") != nil else { return "needs python3" }
        guard findTool("timeout") != nil else { return "needs timeout (coreutils)" }
        guard getuid() == 0 else { return "needs root: seam trace and seam proxy capture the packets" }
        return nil
    }()

    static func findTool(_ name: String) -> String? {
        ["/usr/bin/", "/usr/local/bin/", "/bin/"].map { $0 + name }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    @Test("Every buggy and fixed script documents a trace and a proxy run; bugs get verdicts under trace")
    func everyScriptIsDocumented() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: ExamplePrograms.directory)
        let pairs = names.filter { $0.hasSuffix("_bug.py") || $0.hasSuffix("_fixed.py") }
        #expect(pairs.count >= 14, "\(pairs)")
        for name in pairs {
            let trace = try #require(ExamplePrograms.run("\(name) trace"), "\(name): no seam trace section")
            let proxy = try #require(ExamplePrograms.run("\(name) proxy"), "\(name): no seam proxy section")
            #expect(trace.session.contains("seam trace") && proxy.session.contains("seam proxy"))
            if name.hasSuffix("_bug.py") {
                #expect(trace.said.contains { if case .verdict = $0 { true } else { false } }, "\(name)")
            } else {
                #expect(trace.said.allSatisfy { if case .clean = $0 { true } else { false } }, "\(name)")
                #expect(proxy.said.allSatisfy { if case .clean = $0 { true } else { false } }, "\(name)")
            }
            #expect(!trace.said.isEmpty && !proxy.said.isEmpty, "\(name): no 'Seam says' lines")
        }
        // The proxy alone catches the server that closes with unread data.
        let upload = try #require(ExamplePrograms.run("upload_server_bug.py proxy"))
        #expect(upload.said == [.verdict(kind: "stopped-reading", flow: "tcp.1", direction: "c2s")])
    }

    @Test(
        "Each script, run as its docstring says, gets the verdicts its docstring says",
        arguments: ExamplePrograms.runs.map(\.id)
    )
    func saysWhatItsDocstringSays(id: String) throws {
        if let reason = Self.skipReason {
            print("skipped \(id): \(reason)")
            return
        }
        let run = try #require(ExamplePrograms.run(id))
        let directory = NSTemporaryDirectory() + "seam-examples-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let ports = try (0..<3).map { _ in try Self.freePort() }
        func adapted(_ command: String) -> String {
            command.replacingOccurrences(of: "examples/python/", with: ExamplePrograms.directory + "/")
                .replacingOccurrences(of: "9101", with: "\(ports[0])")
                .replacingOccurrences(of: "9000", with: "\(ports[1])")
                .replacingOccurrences(of: "9001", with: "\(ports[2])")
        }
        let session = try Self.shell(adapted(run.session), in: directory, seconds: 30)
        #expect(session.status == 0, "\(id): the run failed (\(session.status)): \(session.output)")
        let report = try Self.shell(adapted(run.report) + " --format json", in: directory, seconds: 30)
        #expect(report.status == 0, "\(id): seam report failed: \(report.output)")
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(report.output.utf8)) as? [String: Any],
            "\(id): no JSON"
        )
        let verdicts = (json["verdicts"] as? [[String: Any]] ?? []).map { verdict in
            ExamplePrograms.Said.verdict(
                kind: verdict["kind"] as? String ?? "?",
                flow: verdict["flow"] as? String ?? "?",
                direction: verdict["direction"] as? String ?? "?"
            )
        }
        let flows = (json["flows"] as? [Any])?.count ?? 0
        let got = verdicts.isEmpty ? [ExamplePrograms.Said.clean(flows: flows)] : verdicts
        #expect(
            Set(got) == Set(run.said) && got.count == run.said.count,
            "\(id): the docstring says \(run.said), Seam said \(got)"
        )
    }

    /// Runs `script` with `sh` in `directory`, `seam` first on the PATH, killed (with its children) after
    /// `seconds`. Returns its exit status and standard output.
    static func shell(_ script: String, in directory: String, seconds: Int) throws -> (status: Int32, output: String) {
        let binary = try #require(PackageRoot.seamBinary)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(findTool("timeout")))
        process.arguments = ["-k", "2", "\(seconds)", "sh", "-c", script]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] =
            (binary as NSString).deletingLastPathComponent + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// A TCP and UDP port on 127.0.0.1 that nothing is bound to now.
    static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { Glibc.close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr = in_addr(s_addr: UInt32(0x7f00_0001).bigEndian)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
