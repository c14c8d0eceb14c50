#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The report target: the whole analysis of a capture and its three renderings. Byte 0 picks the framing and
/// whether to ask for a what-if recv size; the rest is a capture file (pcap or pcapng), read from a memfd
/// by `ReportBuilder` as `seam report` would, flows analysed as they close.
enum FuzzReport {
    static let framings: [FramingSpec?] = [nil, .line, .http1, .resp, .dnsTCP, .pythonStruct, .fixed(size: 3)]

    static func run(_ input: [UInt8]) {
        guard input.count >= 25 else { return }
        var options = ReportOptions(framing: framings[Int(input[0] & 0x7F) % framings.count])
        if input[0] & 0x80 != 0 { options.recvSize = Int(input[0] & 0x0F) + 1 }
        options.detailedFlows = 2  // so brief findings are rendered too

        let descriptor = fuzzMemfdCreate("seam-fuzz-report", 0)
        precondition(descriptor >= 0, "memfd_create failed")
        defer { close(descriptor) }
        let written = input.withUnsafeBytes { write(descriptor, $0.baseAddress! + 1, $0.count - 1) }
        precondition(written == input.count - 1, "short write to memfd")

        guard let report = try? ReportBuilder.build(path: "/proc/self/fd/\(descriptor)", options: options) else {
            return
        }
        var pieces = 0
        report.writeText { pieces += $0.isEmpty ? 0 : 1 }
        report.writeJSON { pieces += $0.isEmpty ? 0 : 1 }
        report.writeHTML { pieces += $0.isEmpty ? 0 : 1 }
        precondition(pieces >= 3, "a rendering wrote nothing")
        for flow in report.flows {
            for direction in [flow.clientToServer, flow.serverToClient] {
                for finding in direction.findings {
                    precondition(finding.range.lowerBound <= finding.range.upperBound, "finding range reversed")
                    precondition(finding.messageRange.lowerBound >= 0, "negative message index")
                }
            }
        }
    }
}
