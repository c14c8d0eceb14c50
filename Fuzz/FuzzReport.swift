/// The report target: the whole analysis of a capture and its renderings. Byte 0 picks the framing (bits 0…2),
/// a what-if recv size (bit 3; bits 4…5 the size), request/response pairing (bit 6) and whether HTML is
/// rendered too (bit 7 clear: one input in two, as the SVG lanes cost more than the analysis and both other
/// renderings together); text and JSON always are. The rest is a capture file (pcap or pcapng), read from memory
/// by `ReportBuilder` as `seam report` would, flows analysed as they close.
enum FuzzReport {
    static let framings: [FramingSpec?] = [nil, .line, .http1, .resp, .dnsTCP, .pythonStruct, .fixed(size: 3)]

    static func run(_ input: [UInt8]) {
        guard input.count >= 25 else { return }
        var options = ReportOptions(framing: framings[Int(input[0] & 0x07) % framings.count])
        if input[0] & 0x08 != 0 { options.recvSize = Int(input[0] >> 4 & 0x03) * 5 + 1 }
        options.detailedFlows = 2  // so brief observations are rendered too
        options.pairsRequests = input[0] & 0x40 != 0
        let rendersHTML = input[0] & 0x80 == 0

        let source = CaptureSource.bytes(Array(input.dropFirst()), name: "fuzz input")
        guard let report = try? ReportBuilder.build(source: source, options: options) else { return }
        var pieces = 0
        report.writeText { pieces += $0.isEmpty ? 0 : 1 }
        report.writeJSON { pieces += $0.isEmpty ? 0 : 1 }
        if rendersHTML { report.writeHTML { pieces += $0.isEmpty ? 0 : 1 } }
        precondition(pieces >= (rendersHTML ? 3 : 2), "a rendering wrote nothing")
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
