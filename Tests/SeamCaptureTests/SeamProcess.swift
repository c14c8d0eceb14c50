import Foundation
import SeamTestSupport

/// The built `seam` binary run as a child process, for the command-line tests: stderr goes to a file that the
/// test can watch while the child runs.
final class SeamProcess {
    /// The built binary (`PackageRoot.seamBinary`); nil when it was not built.
    static let binary: String? = PackageRoot.seamBinary

    let process = Process()
    let stderrPath: String

    /// Starts `seam ARGUMENTS` (after `launcher`, e.g. `setpriv …`) with `environment` added.
    init(
        _ arguments: [String],
        environment: [String: String] = [:],
        launcher: [String] = [],
        binary: String? = nil,
        in directory: String
    ) throws {
        guard let binary = binary ?? SeamProcess.binary else { throw ExchangeError("the seam binary is not built") }
        stderrPath = directory + "/stderr-\(UUID().uuidString).txt"
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        let command = launcher + [binary] + arguments
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        process.standardOutput = FileHandle.nullDevice
        try process.run()
    }

    /// What the child wrote on stderr so far.
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// The stderr lines.
    var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }

    /// Waits until stderr contains `text`; false after `timeout` seconds or when the child ended first.
    func waitForStderr(containing text: String, timeout: Double = 10) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if stderr.contains(text) { return true }
            if !process.isRunning { return stderr.contains(text) }
            usleep(10_000)
        }
        return false
    }

    /// Sends `signal` to the child.
    func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// The exit status, or nil when the child did not end within `timeout` seconds (it is then killed).
    func waitForExit(timeout: Double = 10) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning {
            process.terminate()
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// A fresh directory under the temporary directory for one test's files.
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "seam-capture-tests-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Runs `path ARGUMENTS` to the end and returns its exit status.
    static func status(of path: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Runs `tool ARGUMENTS` to the end and returns its stdout, or nil when the tool is not installed.
    static func output(of tool: String, _ arguments: [String]) throws -> String? {
        guard
            let path = ["/usr/bin/", "/usr/sbin/", "/usr/local/bin/", "/bin/"].map({ $0 + tool })
                .first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
