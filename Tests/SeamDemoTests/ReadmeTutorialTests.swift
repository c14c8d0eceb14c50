import Foundation
import SeamTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The README's tutorial reproduces: step 1's commands (examples/readme/step1.sh) and the report of the session
/// they record print what the README shows, up to numbers, timestamps and ports (issue 19).
@Suite(.serialized)
struct ReadmeTutorialTests {
    static let binary = PackageRoot.seamBinary
    static let isRoot = geteuid() == 0
    static let python3: String? = ["/usr/bin/python3", "/usr/local/bin/python3", "/bin/python3"].first {
        (path: String) in
        access(path, X_OK) == 0
    }

    /// Why the test cannot run here, printed by Swift Testing when it skips.
    static var skipReason: Comment {
        if binary == nil { return Comment(rawValue: PackageRoot.seamBinaryMissing) }
        if python3 == nil { return "needs python3 (the tutorial's server and client)" }
        return "needs root: the README's output includes the proxy's capture of both legs"
    }

    /// Runs `arguments` in `directory`, standard output and error in one pipe (as a terminal shows them).
    static func run(_ arguments: [String], in directory: String, environment: [String: String] = [:]) throws -> (
        status: Int32, output: String
    ) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The README's fenced block that starts with `firstLine`, without its fences.
    static func readmeBlock(startingWith firstLine: String) throws -> String {
        let readme = try String(contentsOfFile: PackageRoot.path + "/README.md", encoding: .utf8)
        var blocks: [String] = []
        var current: String?
        for line in readme.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") {
                if let block = current { blocks.append(block) }
                current = current == nil ? "" : nil
            } else if current != nil {
                current! += line + "\n"
            }
        }
        return try #require(blocks.first { $0.hasPrefix(firstLine) }, "README has no block starting \(firstLine)")
    }

    /// Text with every run of digits as `N` and every run of white space as one space: its shape.
    static func shape(_ text: String) -> String {
        var out = ""
        var previous: Character = " "
        for character in text {
            let c: Character = character.isNumber ? "N" : (character.isWhitespace ? " " : character)
            if (c == "N" && previous == "N") || (c == " " && previous == " ") { continue }
            out.append(c)
            previous = c
        }
        return out.trimmingCharacters(in: .whitespaces)
    }

    /// Checks that the README block's parts (split at `...` lines, which elide) appear in `output`, in order,
    /// as shapes; lines containing any of `ignoring` are left out of both.
    static func expectShape(of output: String, matches block: String, ignoring: [String] = []) {
        func kept(_ text: String) -> String {
            text.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { line in !ignoring.contains { line.contains($0) } }.joined(separator: "\n")
        }
        let actual = shape(kept(output))
        var rest = actual[...]
        for part in kept(block).replacingOccurrences(of: "\n…\n", with: "\n...\n").components(separatedBy: "\n...\n") {
            let expected = shape(part.hasSuffix("\n...") ? String(part.dropLast(4)) : part)
            guard !expected.isEmpty else { continue }
            guard let found = rest.range(of: expected) else {
                Issue.record("the README shows (as shape)\n\(expected)\nbut the output was\n\(output)")
                return
            }
            rest = rest[found.upperBound...]
        }
    }

    @Test(
        "step 1: the proxy's lines and summary, then the session's report, have the README's shape",
        .enabled(if: binary != nil && python3 != nil && isRoot, skipReason)
    )
    func stepOne() throws {
        let directory = NSTemporaryDirectory() + "seam-readme-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let listen = 20000 + Int(getpid() % 20000)
        let step = try Self.run(
            ["/bin/sh", PackageRoot.path + "/examples/readme/step1.sh", "\(listen)", "\(listen + 1)"],
            in: directory,
            environment: ["SEAM": try #require(Self.binary)]
        )
        #expect(step.status == 0, "\(step.output)")
        // The client's print comes whenever its process exits, and the proxy's first line goes to standard
        // error: their places among the proxy's call lines vary, so they are checked apart.
        let block = try Self.readmeBlock(startingWith: "seam proxy: listening")
        Self.expectShape(of: step.output, matches: block, ignoring: ["b'HELLO", "seam proxy: listening"])
        let lines = step.output.split(separator: "\n").map { Self.shape(String($0)) }
        for line in block.split(separator: "\n")
        where line.hasPrefix("b'HELLO") || line.hasPrefix("seam proxy: listening") {
            #expect(lines.contains(Self.shape(String(line))), "\(line) is not in\n\(step.output)")
        }
        let report = try Self.run([try #require(Self.binary), "report", "echo.pcapng"], in: directory)
        #expect(report.status == 0, "\(report.output)")
        let reportBlock = try Self.readmeBlock(startingWith: "$ seam report echo.pcapng\n")
        Self.expectShape(
            of: report.output,
            matches: String(reportBlock.dropFirst("$ seam report echo.pcapng\n".count))
        )
    }

    @Test(
        "step 2: seam inspect --stream of the corpus's SMTP capture begins as the README shows",
        .enabled(if: binary != nil && PackageRoot.hasCorpus, "needs the seam binary and ../shared/corpus")
    )
    func stepTwoStream() throws {
        let command = "$ seam inspect suricata-smtp-pipelining--input.pcap --stream tcp.0"
        let block = try Self.readmeBlock(startingWith: command)
        let shown = block.drop { $0 != "\n" }.dropFirst()  // the output, without the command line
        let inspect = try Self.run(
            [try #require(Self.binary), "inspect", "suricata-smtp-pipelining--input.pcap", "--stream", "tcp.0"],
            in: PackageRoot.corpus
        )
        #expect(inspect.status == 0, "\(inspect.output)")
        Self.expectShape(of: inspect.output, matches: String(shown))
    }
}
