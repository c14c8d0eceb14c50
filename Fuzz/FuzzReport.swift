#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The report target: the whole analysis of a capture and its renderings. Byte 0 picks the framing (bits 0…2),
/// a what-if recv size (bit 3; bits 4…5 the size) and whether HTML is rendered too (bits 6…7 both 0: one input
/// in four, as the SVG lanes cost more than the analysis and both other renderings together); text and JSON
/// always are. The rest is a capture file (pcap or pcapng), read from a memfd by `ReportBuilder` as `seam
/// report` would, flows analysed as they close.
enum FuzzReport {
    static let framings: [FramingSpec?] = [nil, .line, .http1, .resp, .dnsTCP, .pythonStruct, .fixed(size: 3)]

    static func run(_ input: [UInt8]) {
        guard input.count >= 25 else { return }
        var options = ReportOptions(framing: framings[Int(input[0] & 0x07) % framings.count])
        if input[0] & 0x08 != 0 { options.recvSize = Int(input[0] >> 4 & 0x03) * 5 + 1 }
        let rendersHTML = input[0] & 0xC0 == 0
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
        if rendersHTML { report.writeHTML { pieces += $0.isEmpty ? 0 : 1 } }
        precondition(pieces >= (rendersHTML ? 3 : 2), "a rendering wrote nothing")
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
