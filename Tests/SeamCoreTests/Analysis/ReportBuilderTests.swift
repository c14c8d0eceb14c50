import SeamTestSupport
import Foundation
import Testing

@testable import SeamCore

/// End to end over a session file built by hand: captured segments and the peers' own calls meet on one
/// axis by the 4-tuple, and the report says where the boundary went.
@Suite struct ReportBuilderTests {
    let client = Endpoint("127.0.0.1:50000")!
    let server = Endpoint("127.0.0.1:9000")!

    func path(_ name: String) -> String {
        NSTemporaryDirectory() + "seam-report-\(getpid())-\(name).pcapng"
    }

    /// The seed's sticky sender: `hello` and `feng` sent quickly leave in one segment; one recv(1024) reads both.
    func writeStickySession(to file: String, capture: Bool = true) throws {
        let writer = try PcapngWriter(path: file, sectionComment: "seam-session version=1 tool=test")
        let calls = try writer.addInterface(linkType: .wiresharkUpperPDU, name: "seam-calls")
        var conversation = TCPConversationBuilder(client: client, server: server)
        conversation.handshake()
        conversation.send(Array("hellofeng".utf8), from: .clientToServer)
        conversation.close()
        if capture {
            let wire = try writer.addInterface(linkType: .ethernet, name: "lo")
            for record in conversation.records {
                try writer.writePacket(interface: wire, timestamp: record.timestamp, data: Array(record.data))
            }
        }
        let t = conversation.records[2].timestamp
        let app: [SessionCall] = [
            SessionCall(kind: .send, connection: 1, leg: .app, direction: .clientToServer, offset: 0, length: 5,
                bufferSize: 5, source: client, destination: server, timestamp: t, payload: Array("hello".utf8)),
            SessionCall(kind: .send, connection: 1, leg: .app, direction: .clientToServer, offset: 5, length: 4,
                bufferSize: 4, source: client, destination: server, timestamp: Timestamp(nanoseconds: t.nanoseconds + 10_000),
                payload: Array("feng".utf8)),
            SessionCall(kind: .recv, connection: 2, leg: .app, direction: .clientToServer, offset: 0, length: 9,
                bufferSize: 1024, source: client, destination: server,
                timestamp: Timestamp(nanoseconds: t.nanoseconds + 50_000_000), payload: Array("hellofeng".utf8)),
        ]
        for call in app {
            try writer.writePacket(interface: calls, timestamp: call.timestamp, data: call.exportedPDU(), comment: call.commentWords)
        }
        try writer.close()
    }

    @Test func callsAndSegmentsMeetOnOneAxis() throws {
        let file = path("sticky")
        defer { unlink(file) }
        try writeStickySession(to: file)
        let report = try ReportBuilder.build(path: file)
        #expect(report.layers == [.send, .segment, .recv])
        #expect(report.flows.count == 1)
        let flow = report.flows[0]
        #expect(flow.id == "tcp.0")
        #expect(flow.leg == .app)
        #expect(flow.clientToServer.sendCount == 2)
        #expect(flow.clientToServer.segmentCount == 1)
        #expect(flow.clientToServer.recvCount == 1)
        #expect(flow.clientToServer.messageCount == 2)
        let finding = try #require(flow.clientToServer.observations.first)
        #expect(flow.clientToServer.observations.count == 1)
        #expect(finding.kind == .coalesced)
        #expect(finding.layer == .segment)
        #expect(finding.cause == .senderCoalescing)
        #expect(finding.messages == [0, 1])
        let text = report.text()
        #expect(text.contains("coalesced at segment [sender-coalescing]"))
        #expect(text.contains("`hello`, `feng`"))
        let json = report.json().serialized()
        #expect(json.contains(#""kind":"coalesced","layer":"segment","cause":"sender-coalescing","messages":[0,2],"range":[0,9]"#))
        #expect(json.contains(#""verdicts":[]"#), "coalescing is an observation, never a verdict")
    }

    @Test func withoutCaptureTheSegmentLayerIsMissingAndSaidSo() throws {
        let file = path("nocapture")
        defer { unlink(file) }
        try writeStickySession(to: file, capture: false)
        let report = try ReportBuilder.build(path: file)
        #expect(report.layers == [.send, .recv])
        #expect(report.notes.contains(.noSegments))
        let finding = try #require(report.flows.first?.clientToServer.observations.first)
        #expect(finding.layer == .recv)
        #expect(finding.cause == .receiverBacklog)
    }

    @Test func framingOnAPlainCaptureAndWhatIfRecvSize() throws {
        let file = path("plain")
        defer { unlink(file) }
        let writer = try PcapngWriter(path: file, sectionComment: nil)
        let wire = try writer.addInterface(linkType: .ethernet)
        var conversation = TCPConversationBuilder(client: client, server: server)
        conversation.handshake()
        conversation.send(Array(("a" + String(repeating: "x", count: 2999) + "\nok\n").utf8), from: .clientToServer, segmentSize: 65000)
        conversation.close()
        for record in conversation.records {
            try writer.writePacket(interface: wire, timestamp: record.timestamp, data: Array(record.data))
        }
        try writer.close()
        let report = try ReportBuilder.build(path: file, options: ReportOptions(framing: .line, recvSize: 1024))
        let c2s = report.flows[0].clientToServer
        #expect(c2s.messageCount == 2)
        #expect(c2s.timeline.recvIsWhatIf)
        #expect(c2s.observations.contains { $0.kind == .split && $0.layer == .recv && $0.cause == .recvBuffer && $0.isWhatIf })
        #expect(c2s.observations.contains { $0.kind == .coalesced && $0.layer == .segment })
    }

    @Test func aFileThatIsNotACaptureIsAClearError() throws {
        let file = path("bogus")
        defer { unlink(file) }
        try Data("hello, not a capture".utf8).write(to: URL(fileURLWithPath: file))
        #expect(throws: CaptureFileError.self) { try ReportBuilder.build(path: file) }
    }
}
