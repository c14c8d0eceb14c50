import Foundation
import SeamCheck
import SeamCore
import SeamTestSupport

/// A fixture server of `Fixtures/check_servers.py` (or any program that prints `PORT n` first), stopped by
/// closing its standard input (and killed if it lingers).
final class FixtureServer: @unchecked Sendable {
    let process = Process()
    let port: UInt16
    private let input = Pipe()

    init(_ arguments: [String]) throws {
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = ""
        while !line.hasSuffix("\n") {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            guard !byte.isEmpty else { break }
            line += String(decoding: byte, as: UTF8.self)
        }
        guard line.hasPrefix("PORT "), let port = UInt16(line.dropFirst(5).dropLast()) else {
            process.terminate()
            throw FixtureError(what: "\(arguments) printed '\(line)'")
        }
        self.port = port
    }

    /// A server that listens on `port` (given in its arguments) instead of printing it; stopped with SIGTERM.
    /// - Parameter probe: connect until it listens (a one-client server is used up by the probe: pass `false`
    ///   and connect yourself).
    init(_ arguments: [String], port: UInt16, probe: Bool = true) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.port = port
        guard probe else { return }
        for _ in 0..<100 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
            let rc = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            close(fd)
            if rc == 0 { return }
            usleep(50_000)
        }
        process.terminate()
        throw FixtureError(what: "\(arguments) did not listen on \(port)")
    }

    /// A free TCP port on 127.0.0.1 (bound and released).
    static func freePort() -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return UInt16(bigEndian: address.sin_port)
    }

    /// A server of check_servers.py in `mode`.
    static func mode(_ mode: String) throws -> FixtureServer {
        try FixtureServer(["python3", PackageRoot.path + "/Tests/SeamCheckTests/Fixtures/check_servers.py", mode])
    }

    var endpoint: Endpoint { Endpoint(address: .v4(0x7f00_0001), port: port) }

    func stop() {
        try? input.fileHandleForWriting.close()
        for _ in 0..<100 where process.isRunning { usleep(10_000) }
        if process.isRunning { process.terminate() }
        for _ in 0..<300 where process.isRunning { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var what: String
    var description: String { what }
}

/// A recorded exchange made up by the test: each step the client's bytes (one write per piece), then the
/// server's answer, 1 ms apart.
func exchange(_ steps: [(client: [[UInt8]], server: [UInt8])]) -> RecordedExchange {
    var client: [UInt8] = []
    var server: [UInt8] = []
    var clientChunks: [RecordedExchange.Chunk] = []
    var serverChunks: [RecordedExchange.Chunk] = []
    var time: Int64 = 1_000_000_000
    for step in steps {
        for piece in step.client where !piece.isEmpty {
            clientChunks.append(
                .init(range: client.count..<(client.count + piece.count), time: Timestamp(nanoseconds: time))
            )
            client += piece
            time += 1_000_000
        }
        if !step.server.isEmpty {
            serverChunks.append(
                .init(range: server.count..<(server.count + step.server.count), time: Timestamp(nanoseconds: time))
            )
            server += step.server
            time += 1_000_000
        }
    }
    return RecordedExchange(
        connection: 1,
        clientBytes: client,
        serverBytes: server,
        clientChunks: clientChunks,
        serverChunks: serverChunks
    )
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Little-endian `struct.pack('i', n)` + body.
func framed(_ body: String) -> [UInt8] {
    let count = UInt32(body.utf8.count)
    return [UInt8(count & 0xFF), UInt8(count >> 8 & 0xFF), UInt8(count >> 16 & 0xFF), UInt8(count >> 24)] + bytes(body)
}

/// Whether a program is on PATH.
func onPath(_ name: String) -> Bool {
    (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
        access("\($0)/\(name)", X_OK) == 0
    }
}

/// Runs blocking work (a check, a process) on a thread of its own, never on the cooperative pool, which has
/// only as many threads as cores: a blocked pool would stall the other suites' async tests (the proxy's).
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}
