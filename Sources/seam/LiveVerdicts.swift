import Foundation
import SeamCore
import SeamRecording

/// The verdicts of `seam trace` and `seam watch`, printed on standard error as soon as each flow has closed,
/// even with `--quiet` (they are the answer, not the chatter). With no `--record`, the calls go to a temporary
/// session (mode 0600, removed at the end), so the verdicts come all the same.
struct LiveVerdicts {
    let analysis: LiveAnalysis
    /// The session file the recorder writes: the one given, or a temporary one.
    let path: String
    private let isTemporary: Bool

    init(record: String?, name: String, options: ReportOptions) {
        analysis = LiveAnalysis(options: options, settings: nil) { verdict in
            FileHandleStderr.write("seam: \(name): \(verdict.line)\n")
        }
        if let record {
            path = record
            isTemporary = false
        } else {
            let directory = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
            path = "\(directory)/seam-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).pcapng"
            isTemporary = true
        }
    }

    /// Waits for the last flows' verdicts and removes a temporary session; the line for the summary.
    func finish() -> String {
        let outcome = analysis.finish()
        if isTemporary { unlink(path) }
        if outcome.fellBehind { return "the live verdicts stopped: the analysis could not keep up (seam report the file)" }
        return outcome.verdicts == 0
            ? "no framing bug seen in \(counted(outcome.flows, "flow"))"
            : "\(counted(outcome.verdicts, "framing bug")) (see above; seam report explains)"
    }
}
