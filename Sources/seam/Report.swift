import ArgumentParser
import SeamCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `seam report FILE`: where each message boundary was lost, and why.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show where message boundaries were lost (sticky and split messages), and why.",
        discussion: """
            FILE is a session from `seam proxy --record` (calls and segments) or any pcap/pcapng (segments only).
            Framing specs:
            \(FramingSpec.helpText)
            Examples:
              seam report session.pcapng
              seam report capture.pcap --framing line --recv-size 1024
              seam report session.pcapng --format html -o report.html
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, html
    }

    @Argument(help: "A session or capture file (pcap or pcapng), or - for standard input.")
    var file: String

    @Option(help: ArgumentHelp("How messages are framed in the bytes (see below).", valueName: "spec"))
    var framing: String?

    @Option(help: "Output format: text, json or html.")
    var format: Format = .text

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the report to this file instead of standard output.", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("What-if: a reader doing recv(N) as soon as data arrives, where no reads were recorded.", valueName: "N"))
    var recvSize: Int?

    @Flag(help: "Same as --format json.")
    var json = false

    func validate() throws {
        if let framing {
            do {
                _ = try FramingSpec(parsing: framing)
            } catch {
                throw ValidationError("\(error)")
            }
        }
        if let recvSize, recvSize < 1 { throw ValidationError("--recv-size must be at least 1, not \(recvSize)") }
        if format == .html && output == nil && StandardOutput.stdoutIsTerminal {
            throw ValidationError("--format html writes a whole page: give -o report.html (or redirect standard output)")
        }
    }

    func run() throws {
        let spec = try framing.map { try FramingSpec(parsing: $0) }
        let report: BoundaryReport
        do {
            report = try ReportBuilder.build(path: file, options: ReportOptions(framing: spec, recvSize: recvSize))
        } catch let error as CaptureFileError {
            throw CommandFailure(error.description)
        }
        let chosen = json ? .json : format
        let text: String
        switch chosen {
        case .text: text = report.text(color: output == nil && StandardOutput.stdoutIsTerminal)
        case .json: text = report.json().serialized(pretty: true) + "\n"
        case .html: text = report.html()
        }
        if let output {
            try write(text, to: output)
        } else {
            StandardOutput.shared.write(text)
            StandardOutput.shared.flush()
        }
        if let failure = report.failure { throw CommandFailure("\(failure) (the report covers everything before it)") }
    }

    private func write(_ text: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CommandFailure("\(path): cannot write: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var text = text
        let ok = text.withUTF8 { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
        if !ok { throw CommandFailure("\(path): write failed: \(String(cString: strerror(errno)))") }
    }
}
