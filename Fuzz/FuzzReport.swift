/// The report target: the whole analysis of a capture and its three renderings. Byte 0 picks the framing and
/// whether to ask for a what-if recv size; the rest is a capture file (pcap or pcapng), read from memory by
/// `ReportBuilder` as `seam report` would, flows analysed as they close.
enum FuzzReport {
    static let framings: [FramingSpec?] = [nil, .line, .http1, .resp, .dnsTCP, .pythonStruct, .fixed(size: 3)]

    static func run(_ input: [UInt8]) {
        guard input.count >= 25 else { return }
        var options = ReportOptions(framing: framings[Int(input[0] & 0x7F) % framings.count])
        if input[0] & 0x80 != 0 { options.recvSize = Int(input[0] & 0x0F) + 1 }
        options.detailedFlows = 2  // so brief observations are rendered too
        options.pairsRequests = input[0] & 0x40 != 0

        let source = CaptureSource.bytes(Array(input.dropFirst()), name: "fuzz input")
        guard let report = try? ReportBuilder.build(source: source, options: options) else { return }
        var pieces = 0
        report.writeText { pieces += $0.isEmpty ? 0 : 1 }
        report.writeJSON { pieces += $0.isEmpty ? 0 : 1 }
        report.writeHTML { pieces += $0.isEmpty ? 0 : 1 }
        precondition(pieces >= 3, "a rendering wrote nothing")
        for flow in report.flows {
            for direction in [flow.clientToServer, flow.serverToClient] {
                for observation in direction.observations {
                    precondition(observation.range.lowerBound <= observation.range.upperBound, "range reversed")
                    precondition(observation.messageRange.lowerBound >= 0, "negative message index")
                }
            }
            for verdict in flow.verdicts { precondition(verdict.flow == flow.id, "a verdict of another flow") }
        }
    }
}
