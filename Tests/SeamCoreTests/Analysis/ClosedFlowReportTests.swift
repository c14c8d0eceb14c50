import SeamTestSupport
import Foundation
import Testing

@testable import SeamCore

/// A plain capture's flows are analysed as they close and only their reports are kept (ranges dropped
/// where no renderer draws them): the report must read exactly as if every flow were analysed at the end.
@Suite struct ClosedFlowReportTests {
    static let flowCount = BoundaryReport.HTMLLimits.flowCap + 30

    /// `flowCount` line-protocol flows, starting half a second apart: 30 one-line sends from the client (lanes
    /// too long to draw as text), two replies coalesced into one segment; every seventh flow gets a RST
    /// 5 s after both FINs (long after it went quiet), the last one never closes. `lateData` adds 10 bytes
    /// after that RST. Written in time order, as a capture is.
    static func writeCapture(to file: String, lateData: Bool = false) throws {
        var records: [PacketRecord] = []
        for index in 0..<flowCount {
            var conversation = TCPConversationBuilder(
                client: Endpoint("127.0.0.1:\(20_000 + index)")!, server: Endpoint("127.0.0.1:6379")!,
                start: Timestamp(nanoseconds: 1_700_000_000_000_000_000 + Int64(index) * 500_000_000))
            conversation.handshake()
            for line in 0..<30 {
                conversation.send(Array("get key\(index)-\(line)\n".utf8), from: .clientToServer)
            }
            conversation.send(Array("value one\nvalue two\n".utf8), from: .serverToClient)
            if index < flowCount - 1 { conversation.close() }
            if index % 7 == 0 {
                conversation.time = Timestamp(nanoseconds: conversation.time.nanoseconds + 5_000_000_000)
                conversation.reset(from: .serverToClient)
                if lateData { conversation.send(Array("late data\n".utf8), from: .serverToClient) }
            }
            records += conversation.records
        }
        records.sort { $0.timestamp < $1.timestamp }
        let writer = try PcapWriter(path: file, linkType: .ethernet)
        for record in records {
            try writer.writePacket(timestamp: record.timestamp, data: record.data)
        }
        try writer.close()
    }

    @Test func readsAsIfEveryFlowWereAnalysedAtTheEnd() throws {
        let file = NSTemporaryDirectory() + "seam-closed-flows-\(getpid()).pcap"
        defer { unlink(file) }
        try ClosedFlowReportTests.writeCapture(to: file)
        var atEnd = ReportOptions(framing: .line)
        atEnd.analysesFlowsAsTheyClose = false
        let streamed = try ReportBuilder.build(path: file, options: ReportOptions(framing: .line))
        let whole = try ReportBuilder.build(path: file, options: atEnd)

        #expect(streamed.flows.count == ClosedFlowReportTests.flowCount)
        #expect(streamed.flows.map(\.id) == whole.flows.map(\.id))
        #expect(streamed.observationCount == whole.observationCount)
        #expect(streamed.observationCount >= ClosedFlowReportTests.flowCount)
        #expect(streamed.text() == whole.text())
        #expect(streamed.json() == whole.json())
        #expect(streamed.html() == whole.html())

        // Flows the HTML draws keep their ranges; later ones with long lanes keep only counts.
        let early = streamed.flows[3].clientToServer
        let late = streamed.flows[ClosedFlowReportTests.flowCount - 5].clientToServer
        #expect(early.hasRanges && early.timeline.messages.count == 30)
        #expect(!late.hasRanges && late.timeline.messages.isEmpty)
        #expect(late.messageCount == 30 && late.segmentCount == 30 && late.sendCount == nil)
        // A RST after both FINs still reaches the flow's report.
        let resetFlow = streamed.flows[BoundaryReport.HTMLLimits.flowCap + 1]
        #expect(resetFlow.id == "tcp.\(BoundaryReport.HTMLLimits.flowCap + 1)")
        #expect(resetFlow.clientToServer.timeline.resetTime != nil)
        #expect(resetFlow.clientToServer.timeline.resetTime == whole.flows[BoundaryReport.HTMLLimits.flowCap + 1].clientToServer.timeline.resetTime)
        // The coalesced replies are named from the finding itself, ranges or not.
        let reply = try #require(streamed.flows[ClosedFlowReportTests.flowCount - 5].serverToClient.observations.first)
        #expect(reply.messageSummaries == ["value one\\n", "value two\\n"])
    }

    @Test func findingsPastTheDetailedFlowsAreBriefAndFlowSpellsOneOut() throws {
        let file = NSTemporaryDirectory() + "seam-closed-flows-brief-\(getpid()).pcap"
        defer { unlink(file) }
        try ClosedFlowReportTests.writeCapture(to: file)
        var options = ReportOptions(framing: .line)
        options.detailedFlows = 100
        let report = try ReportBuilder.build(path: file, options: options)
        let detailed = try #require(report.flows[99].serverToClient.observations.first)
        let brief = try #require(report.flows[100].serverToClient.observations.first)
        #expect(!detailed.isBrief && detailed.evidence != nil && detailed.messageSummaries.count == 2)
        #expect(brief.isBrief && brief.evidence == nil && brief.messageSummaries.isEmpty)
        #expect(brief.kind == detailed.kind && brief.cause == detailed.cause && brief.messageRange == 0..<2)
        #expect(report.notes.contains { ReportWords.note($0).contains("are brief: --flow ID spells out a flow") })
        let text = report.text()
        #expect(text.contains("· coalesced at segment [sender-coalescing]: messages 0 and 1, bytes 0–20."))
        let json = report.json().serialized()
        #expect(json.contains(#""evidence":null"#))

        options.flows = ["tcp.300"]
        let one = try ReportBuilder.build(path: file, options: options)
        #expect(one.flows.map(\.id) == ["tcp.300"])
        let spelled = try #require(one.flows[0].serverToClient.observations.first)
        #expect(!spelled.isBrief && spelled.messageSummaries == ["value one\\n", "value two\\n"])
        #expect(one.flows[0].clientToServer.hasRanges)
    }

    @Test func dataAfterAQuietClosedFlowIsCountedInANote() throws {
        let file = NSTemporaryDirectory() + "seam-closed-flows-late-\(getpid()).pcap"
        defer { unlink(file) }
        try ClosedFlowReportTests.writeCapture(to: file, lateData: true)
        let report = try ReportBuilder.build(path: file, options: ReportOptions(framing: .line))
        let lateFlows = (0..<ClosedFlowReportTests.flowCount - 1).filter { $0 % 7 == 0 }.count
        #expect(report.notes.contains(.lateSegments(count: lateFlows, newBytes: UInt64(lateFlows * 10))))
        #expect(report.flows[7].serverToClient.bytes == 20)
    }

    /// The server's last 10 bytes and FIN arrive before its first 10 (the capture missed them; nobody
    /// acknowledged them): the flow closes with a hole, and the retransmission 2 s later, after other flows'
    /// packets, still belongs to its report. (The reassembler keeps the 10 bytes it held behind the hole
    /// past the close, so the retransmission fills the hole and all 20 are the direction's bytes, as in
    /// Follow TCP Stream.)
    @Test func aFlowClosedPastAHoleWaitsForTheRetransmission() throws {
        let file = NSTemporaryDirectory() + "seam-closed-flows-hole-\(getpid()).pcap"
        defer { unlink(file) }
        let start = Timestamp(seconds: 1_700_000_000, nanoseconds: 0)
        var holed = TCPConversationBuilder(
            client: Endpoint("127.0.0.1:30000")!, server: Endpoint("127.0.0.1:7000")!, start: start)
        holed.handshake()
        holed.segment(from: .serverToClient, offset: 10, Array("2nd half.\n".utf8), flags: [.ack, .psh, .fin])
        holed.segment(from: .clientToServer, offset: 0, [], flags: [.fin])  // no ACK: the hole stays a hole
        holed.time = Timestamp(nanoseconds: start.nanoseconds + 2_000_000_000)
        holed.segment(from: .serverToClient, offset: 0, Array("1st half, ".utf8))
        var records = holed.records
        for index in 0..<30 {  // other traffic, so capture time moves on past the quiet time
            var other = TCPConversationBuilder(
                client: Endpoint("127.0.0.1:\(31_000 + index)")!, server: Endpoint("127.0.0.1:7000")!,
                start: Timestamp(nanoseconds: start.nanoseconds + Int64(index) * 100_000_000))
            other.handshake()
            other.send(Array("ping\n".utf8), from: .clientToServer)
            other.close()
            records += other.records
        }
        records.sort { $0.timestamp < $1.timestamp }
        let writer = try PcapWriter(path: file, linkType: .ethernet)
        for record in records { try writer.writePacket(timestamp: record.timestamp, data: record.data) }
        try writer.close()

        let report = try ReportBuilder.build(path: file, options: ReportOptions(framing: .line))
        var atEnd = ReportOptions(framing: .line)
        atEnd.analysesFlowsAsTheyClose = false
        let whole = try ReportBuilder.build(path: file, options: atEnd)
        let flow = try #require(report.flows.first)
        #expect(flow.serverToClient.bytes == 20)
        #expect(flow.serverToClient.segmentCount == 2)
        #expect(!report.notes.contains { if case .lateSegments = $0 { return true } else { return false } })
        #expect(report.text() == whole.text())
    }

    @Test func writtenInPiecesEqualsTheWholeStrings() throws {
        let file = NSTemporaryDirectory() + "seam-closed-flows-json-\(getpid()).pcap"
        defer { unlink(file) }
        try ClosedFlowReportTests.writeCapture(to: file)
        let report = try ReportBuilder.build(path: file, options: ReportOptions(framing: .line))
        var pieces: [String] = []
        report.writeJSON { pieces.append($0) }
        #expect(pieces.count > 2)
        #expect(pieces.joined() == report.json().serialized(pretty: true) + "\n")
        var text = ""
        report.writeText { text += $0 }
        #expect(text == report.text())
        var html: [String] = []
        report.writeHTML { html.append($0) }
        #expect(html.count > 2)
        #expect(html.joined() == report.html())
    }
}
