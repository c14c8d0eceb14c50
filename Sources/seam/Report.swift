import ArgumentParser
import SeamCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `seam report FILE`: the programs that mishandled the stream (verdicts), then where message boundaries
/// were joined or cut on the way (observations), and why.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show which program mishandled the stream (verdicts), and how TCP joined and cut the messages.",
        discussion: """
            FILE is a session from `seam proxy`, `seam trace` or `seam demo` (`--record`: calls and segments), or
            any pcap/pcapng (segments only).
            Verdicts (✗) name a program that treated a read as a message: acted-on-partial, stopped-reading,
            unanswered, truncated, partial-send. Observations (coalesced, split, …) are how TCP delivered the
            bytes, which is normal. With --check the exit status is 3 when there is a verdict.
            Framing: --framing for both directions, --framing-c2s and --framing-s2c for one; a spec, or auto \
            (each direction's best fit, said in the report). With none, messages are the senders' send calls \
            where recorded, else a framing detected where it clearly fits (observations only).
            Framing specs:
            \(FramingSpec.helpText)
            Examples:
              seam report session.pcapng
              seam report capture.pcap --framing line --recv-size 1024
              seam report capture.pcap --framing auto
              seam report session.pcapng --framing-c2s line --framing-s2c struct:i
              seam report session.pcapng --format html -o report.html
              seam report big.pcap --framing line --flow tcp.14000
              seam report session.pcapng --check        (exit 3 on a verdict: for CI)
            A report spells out the observations of the first 1000 flows (1000 per direction); later ones are
            brief (what, where, which bytes): --flow picks flows to spell out in full. Verdicts are always whole.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, jsonl, html
    }

    @Argument(
        help: ArgumentHelp(
            "Session or capture files (pcap or pcapng), or - for standard input. Several are analysed in parallel,"
                + " on every core, and reported in the order given.", valueName: "file"))
    var files: [String]

    /// The file, when there is one.
    var file: String { files[0] }

    @OptionGroup var framing: FramingOptions

    @Option(help: "Output format: text, json, jsonl (JSON Lines: a line per flow and per verdict) or html.")
    var format: Format = .text

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the report to this file instead of standard output.", valueName: "file"))
    var output: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("What-if: a reader doing recv(N) as soon as data arrives, where no reads were recorded.", valueName: "N"))
    var recvSize: Int?

    @Flag(help: "Same as --format json.")
    var json = false

    @Flag(help: "Exit with status 3 when the report holds a verdict (a program mishandled the stream), 0 when not.")
    var check = false

    @Option(
        name: .customLong("flow"),
        help: ArgumentHelp(
            "Only this flow, spelled out in full (an id the report prints: tcp.3, udp.0, conn1.app); repeatable.",
            valueName: "id"))
    var flows: [String] = []

    func validate() throws {
        for id in flows where !Report.isFlowID(id) {
            throw ValidationError("--flow \(id): expected a flow id as the report prints it (tcp.3, udp.0, conn1.app)")
        }
        if files.count > 1 && format == .html {
            throw ValidationError("--format html draws one file: give one file, or --format text, json or jsonl")
        }
        if let recvSize, recvSize < 1 { throw ValidationError("--recv-size must be at least 1, not \(recvSize)") }
        if format == .html && output == nil && StandardOutput.stdoutIsTerminal {
            throw ValidationError("--format html writes a whole page: give -o report.html (or redirect standard output)")
        }
    }

    /// `tcp.N`, `udp.N` or `connN.LEG`.
    static func isFlowID(_ id: String) -> Bool {
        let parts = id.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[1].isEmpty else { return false }
        if parts[0] == "tcp" || parts[0] == "udp" { return parts[1].allSatisfy(\.isASCII) && Int(parts[1]) != nil }
        guard parts[0].hasPrefix("conn"), Int(parts[0].dropFirst(4)) != nil else { return false }
        return parts[1].allSatisfy { $0.isLetter || $0 == "-" }
    }

    func run() throws {
        if files.count > 1 { return try runFiles() }
        let report: BoundaryReport
        do {
            var options = try framing.reportOptions
            options.recvSize = recvSize
            options.flows = flows.isEmpty ? nil : Set(flows)
            options.analysisWorkers = ReportBatch.processorCount
            report = try ReportBuilder.build(path: file, options: options)
        } catch let error as CaptureFileError {
            throw CommandFailure(error.description)
        }
        let missing = Set(flows).subtracting(report.flows.map(\.id)).sorted()
        if !missing.isEmpty {
            throw CommandFailure("no flow \(missing.joined(separator: ", ")) in \(file) (seam inspect lists its flows)")
        }
        let chosen = json ? .json : format
        let sink: StandardOutput
        if let output {
            let fd = open(output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw CommandFailure("\(output): cannot write: \(String(cString: strerror(errno)))") }
            sink = StandardOutput(fileDescriptor: fd)
        } else {
            sink = StandardOutput.shared
        }
        // Written a flow at a time: a report of a 2 GB capture is never one string in memory.
        switch chosen {
        case .text: report.writeText(color: output == nil && StandardOutput.stdoutIsTerminal, to: sink.write)
        case .json: report.writeJSON(to: sink.write)
        case .jsonl: report.writeJSONLines(to: sink.write)
        case .html: report.writeHTML(to: sink.write)
        }
        sink.flush()
        if let output {
            close(sink.fileDescriptor)
            if let error = sink.writeError {
                throw CommandFailure("\(output): write failed: \(String(cString: strerror(error)))")
            }
        }
        if let failure = report.failure { throw CommandFailure("\(failure) (the report covers everything before it)") }
        if check && !report.verdicts.isEmpty { throw ExitCode(3) }
    }
}
