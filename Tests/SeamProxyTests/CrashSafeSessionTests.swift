#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Foundation
import SeamCore
import SeamTestSupport
import Testing

/// A `seam proxy --record F` killed with SIGKILL while relaying leaves a session file that Seam's reader and
/// tshark read up to the last complete block: at most the block being written is lost.
@Suite("Crash-safe sessions")
struct CrashSafeSessionTests {
    /// The built binary, when there is one.
    static let seam: String? = PackageRoot.seamBinary

    /// An echo server on a plain thread: echoes every connection until the peer closes.
    static func startEchoServer() throws -> (TestSocket, Int) {
        let (listener, port) = try TestSocket.listen()
        listener.setTimeout(0)
        Thread.detachNewThread {
            while true {
                guard let connection = try? listener.accept() else { return }
                Thread.detachNewThread {
                    while let bytes = try? connection.recv(), !bytes.isEmpty {
                        if (try? connection.send(bytes)) == nil { break }
                    }
                    connection.close()
                }
            }
        }
        return (listener, port)
    }

    /// Starts the proxy and answers its process and the port it listens on (from its stderr line).
    static func startProxy(upstream: Int, record: String) throws -> (Process, Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: seam!)
        process.arguments = [
            "proxy", "--listen", "127.0.0.1:0", "--to", "127.0.0.1:\(upstream)", "--record", record,
            "--quiet",
        ]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var text = ""
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
            if let range = text.range(of: "listening on 127.0.0.1:") {
                let digits = text[range.upperBound...].prefix { $0.isNumber }
                if let port = Int(digits), text[range.upperBound...].dropFirst(digits.count).first == " " {
                    return (process, port)
                }
            }
        }
        process.terminate()
        throw SocketFailure(what: "proxy did not report its port: \(text)", errno: 0)
    }

    @Test(
        "SIGKILL mid-run: the reader and tshark read every complete block",
        .enabled(if: seam != nil, "needs .build/debug/seam: run swift build first"), .timeLimit(.minutes(1)))
    func killedProxy() async throws {
        let (listener, echoPort) = try Self.startEchoServer()
        defer {
            shutdown(listener.fd, Int32(SHUT_RDWR))
            listener.close()
        }
        let record = FileManager.default.temporaryDirectory.appendingPathComponent("seam-crash-\(getpid()).pcapng").path
        defer { try? FileManager.default.removeItem(atPath: record) }
        let (proxy, port) = try Self.startProxy(upstream: echoPort, record: record)

        // Finished connections: each sends bytes and reads its echo back, then closes. Blocking socket work
        // runs on a plain thread, not the 2-thread cooperative pool other suites need meanwhile.
        let (sent, mismatches) = try await onThread { () throws -> ([Int], Int) in
            var sent: [Int] = []
            var mismatches = 0
            for index in 0..<12 {
                let client = try TestSocket.connect(port: port)
                let bytes = (0..<(100 + index * 517)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ index) }
                try client.send(bytes)
                var echoed: [UInt8] = []
                while echoed.count < bytes.count {
                    let chunk = try client.recv()
                    if chunk.isEmpty { break }
                    echoed += chunk
                }
                if echoed != bytes { mismatches += 1 }
                client.close()
                sent.append(bytes.count)
            }
            return (sent, mismatches)
        }
        #expect(mismatches == 0, "every connection's echo came back through the proxy")
        try await Task.sleep(for: .milliseconds(1500))  // the recorder writes and flushes when idle

        // One connection still busy when the proxy dies.
        try await onThread {
            let busy = try TestSocket.connect(port: port)
            for _ in 0..<50 {
                try busy.send([UInt8](repeating: 0x55, count: 4096))
                _ = try busy.recv()
            }
            kill(proxy.processIdentifier, SIGKILL)
            proxy.waitUntilExit()
            busy.close()
        }
        #expect(proxy.terminationReason == .uncaughtSignal)

        // Seam's reader: clean end or a fault at the last (cut) block; every record before decodes as a call.
        let reader = try CaptureFileReader(path: record)
        var calls: [SessionCall] = []
        var lastOffset = 0
        do {
            while let packet = try reader.next() {
                lastOffset = packet.fileOffset
                if packet.linkType == .wiresharkUpperPDU { calls.append(try SessionCall.decode(record: packet)) }
            }
        } catch let error as CaptureFileError {
            let offset = try #require(error.offset)
            #expect(offset > lastOffset, "\(error)")
            #expect(error.description.hasPrefix("\(record): byte \(offset): "), "\(error)")
        }
        // Every finished connection's client→server bytes are accounted for by the proxy's downstream reads.
        var received: [Int: Int] = [:]
        for call in calls where call.kind == .recv && call.leg == .downstream && call.direction == .clientToServer {
            received[call.connection, default: 0] += call.length ?? 0
        }
        let finished = received.keys.sorted().prefix(sent.count).map { received[$0]! }
        #expect(finished == sent, "downstream c2s recv bytes per connection")

        // tshark reads at least as many records as Seam did (it may complain about the cut block).
        guard let tshark = ["/usr/bin/tshark", "/usr/local/bin/tshark"].first(where: {
            FileManager.default.isExecutableFile(atPath: $0)
        }) else {
            print("CrashSafeSessionTests: tshark not installed, skipping its check")
            return
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tshark)
        process.arguments = ["-r", record, "-T", "fields", "-e", "frame.number"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let frames = text.split(separator: "\n").count
        #expect(frames >= calls.count, "tshark read \(frames) frames, Seam read \(calls.count) calls")
        #expect(calls.count > sent.count * 4, "the session holds the finished connections' calls")
    }
}
