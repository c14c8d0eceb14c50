import Foundation
import SeamTestSupport

/// The buggy/fixed Python pairs of `examples/python/`, as their docstrings state them: for each script, the
/// commands that run it under `seam trace` and under `seam proxy`, and what Seam says about each run.
///
/// A docstring section looks like this (the commands are indented 4 spaces and end with `seam report`; the
/// lines Seam says start with ✗ or ✓, continued with 6 spaces):
///
///     Under seam trace (…):
///
///         seam trace --payload --record trace.pcapng -- sh -c \
///             "python3 examples/python/x_server_bug.py --port 9101 & sleep 0.5; …; wait"
///         seam report trace.pcapng --pairing
///
///     Seam says:
///
///         ✗ unanswered  tcp.0 c2s  the server (pid 7179) answered 1 of 2 requests: …
enum ExamplePrograms {
    /// What a docstring says Seam reports.
    enum Said: Hashable, CustomStringConvertible {
        /// `✗ KIND  FLOW DIR  …`
        case verdict(kind: String, flow: String, direction: String)
        /// `✓ no framing bug seen, N flows`
        case clean(flows: Int)

        var description: String {
            switch self {
            case .verdict(let kind, let flow, let direction): return "✗ \(kind) \(flow) \(direction)"
            case .clean(let flows): return "✓ \(flows) flows"
            }
        }
    }

    /// One documented run: the script, `trace` or `proxy`, the commands before the report, the report command,
    /// and what Seam says.
    struct Run: CustomStringConvertible {
        var script: String
        var mode: String
        var session: String
        var report: String
        var said: [Said]

        var id: String { "\(script) \(mode)" }
        var description: String { id }
    }

    static let directory = PackageRoot.path + "/examples/python"

    /// Every documented run of every script, in file order.
    static let runs: [Run] = {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter {
            $0.hasSuffix(".py")
        }.sorted()
        return names.flatMap { name -> [Run] in
            guard let text = try? String(contentsOfFile: directory + "/" + name, encoding: .utf8) else { return [] }
            return ["trace", "proxy"].compactMap { parse(text, script: name, mode: $0) }
        }
    }()

    static func run(_ id: String) -> Run? { runs.first { $0.id == id } }

    /// The section `Under seam MODE` of a docstring.
    static func parse(_ text: String, script: String, mode: String) -> Run? {
        let lines = text.components(separatedBy: "\n")
        guard let heading = lines.firstIndex(where: { $0.hasPrefix("Under seam \(mode)") }) else { return nil }
        let commands = indentedBlock(lines, after: heading)
        guard let says = lines[heading...].firstIndex(where: { $0.hasPrefix("Seam says:") }) else { return nil }
        var said: [Said] = []
        for line in indentedBlock(lines, after: says) where line.hasPrefix("✗") || line.hasPrefix("✓") {
            let words = line.split(separator: " ").map(String.init)
            if line.hasPrefix("✗"), words.count >= 4 {
                said.append(.verdict(kind: words[1], flow: words[2], direction: words[3]))
            } else if line.hasPrefix("✓"), let flows = words.first(where: { Int($0) != nil }).flatMap({ Int($0) }) {
                said.append(.clean(flows: flows))
            }
        }
        guard let report = commands.last, report.hasPrefix("seam report") else { return nil }
        return Run(
            script: script,
            mode: mode,
            session: commands.dropLast().joined(separator: "\n"),
            report: report,
            said: said
        )
    }

    /// The lines indented by 4 spaces after `index` (past one blank line), unindented, up to the next blank line.
    private static func indentedBlock(_ lines: [String], after index: Int) -> [String] {
        var block: [String] = []
        var position = index + 1
        while position < lines.count, lines[position].trimmingCharacters(in: .whitespaces).isEmpty { position += 1 }
        while position < lines.count, lines[position].hasPrefix("    ") {
            block.append(String(lines[position].dropFirst(4)))
            position += 1
        }
        return block
    }
}
