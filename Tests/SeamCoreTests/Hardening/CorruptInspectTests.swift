import Foundation
import SeamTestSupport
import Testing

@testable import SeamCore

/// Runs the built `seam inspect` on damaged captures: it exits 0 or 1, never dies of a signal, and a failure
/// names the file and the byte offset of the fault.
@Suite("Corrupt corpus: seam inspect")
struct CorruptInspectTests {
    /// The built binary, when there is one.
    static let seam: String? = PackageRoot.seamBinary

    /// Runs `seam inspect path`, killing it after 20 s; answers how it ended and its standard error.
    static func inspect(_ path: String) throws -> (reason: Process.TerminationReason, status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: seam!)
        process.arguments = ["inspect", path]
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        while process.isRunning, Date() < deadline { usleep(10_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return (process.terminationReason, process.terminationStatus, String(decoding: stderr, as: UTF8.self))
    }

    @Test(
        "exit 0 or 1, never a signal; the message names file and byte",
        .enabled(if: seam != nil, "needs .build/debug/seam: run swift build first"))
    func inspectDamaged() throws {
        let sources = CorruptCorpusTests.sources.filter { $0.bytes.count < 1 << 20 }.prefix(6)
        #expect(!sources.isEmpty)
        var generator = SplitMix64(state: 0x1A5EC7)
        for source in sources {
            // One cut inside a block (must fail at that block) and one bit flip (may succeed).
            let inside = source.blocks[source.blocks.count / 2]
            let cut = inside.offset + min(inside.length - 1, 5)
            let truncated = try TestFiles.write(Array(source.bytes[..<cut]), name: "cut-" + source.name)
            let result = try Self.inspect(truncated)
            #expect(result.reason == .exit && result.status == 1, "\(source.name): \(result)")
            #expect(
                result.stderr.contains("\(truncated): byte \(source.blockStart(containing: cut))"),
                "\(source.name): \(result.stderr)")

            var flipped = source.bytes
            flipped[Int.random(in: 0..<flipped.count, using: &generator)] ^= 0x40
            let flippedPath = try TestFiles.write(flipped, name: "flip-" + source.name)
            let flip = try Self.inspect(flippedPath)
            #expect(flip.reason == .exit && [0, 1].contains(flip.status), "\(source.name): \(flip)")
            if flip.status == 1 { #expect(flip.stderr.contains(flippedPath), "\(flip.stderr)") }
        }
    }
}
