import ArgumentParser
import SeamCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `seam report FILE FILE...`: every file analysed on a core of its own (`ReportBatch`), the reports written
/// in the order the files were given. Text reports follow one another; JSON is one array of reports; JSON Lines
/// are the lines of each file in turn. A file that cannot be read is named on stderr and the others are still
/// reported (exit 1 at the end).
extension Report {
    func runFiles() throws {
        var options = try framing.reportOptions
        options.recvSize = recvSize
        options.flows = flows.isEmpty ? nil : Set(flows)
        let chosen = json ? .json : format
        let sink: StandardOutput
        if let output {
            let fd = open(output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw CommandFailure("\(output): cannot write: \(String(cString: strerror(errno)))") }
            sink = StandardOutput(fileDescriptor: fd)
        } else {
            sink = StandardOutput.shared
        }
        var problems: [String] = []
        var found = Set<String>()
        var verdicts = 0
        if chosen == .json { sink.write("[\n") }
        ReportBatch.build(sources: files.map { .path($0) }, options: options) { index, outcome in
            let report: BoundaryReport
            switch outcome {
            case .failure(let error):
                FileHandleStderr.write("seam report: \(error.description)\n")
                problems.append(error.description)
                return
            case .success(let made):
                report = made
            }
            found.formUnion(report.flows.map(\.id))
            verdicts += report.verdicts.count
            if let failure = report.failure { problems.append("\(failure) (the report covers everything before it)") }
            switch chosen {
            case .text:
                if index > 0 { sink.write("\n") }
                report.writeText(color: output == nil && StandardOutput.stdoutIsTerminal, to: sink.write)
            case .json:
                if index > 0 { sink.write(",\n") }
                report.writeJSON(to: sink.write)
            case .jsonl:
                report.writeJSONLines(to: sink.write)
            case .html:
                report.writeHTML(to: sink.write)  // validate() allows it for one file only
            }
        }
        if chosen == .json { sink.write("]\n") }
        sink.flush()
        if let output {
            close(sink.fileDescriptor)
            if let error = sink.writeError {
                throw CommandFailure("\(output): write failed: \(String(cString: strerror(error)))")
            }
        }
        let missing = Set(flows).subtracting(found).sorted()
        if !missing.isEmpty {
            problems.append("no flow \(missing.joined(separator: ", ")) in any of the files (seam inspect lists their flows)")
        }
        if !problems.isEmpty { throw CommandFailure(problems.joined(separator: "\n")) }
        if check && verdicts > 0 { throw ExitCode(3) }
    }
}
