import SeamTestSupport
import Foundation
import Testing

@testable import SeamCore

/// How `seam report` frames each direction: a spec per direction, `auto`, a framing detected where none was
/// given, and a given framing that does not fit. Built captures of a RESP exchange (and of a line-based
/// command answered with `struct:i` frames).
@Suite struct ReportFramingTests {
    static let client = Endpoint("127.0.0.1:50000")!
    static let server = Endpoint("127.0.0.1:6379")!

    /// `requests` RESP commands from the client, each in its own segment; `answers` `+PONG` replies, then
    /// silence, then the client closes.
    static func respCapture(requests: Int, answers: Int) throws -> String {
        var conversation = TCPConversationBuilder(client: client, server: server, interval: 1_000_000)
        conversation.handshake()
        for index in 0..<requests {
            conversation.send(Array("*2\r\n$4\r\nECHO\r\n$1\r\n\(index % 10)\r\n".utf8), from: .clientToServer)
            if index < answers { conversation.send(Array("+PONG\r\n".utf8), from: .serverToClient) }
        }
        conversation.time = Timestamp(nanoseconds: conversation.time.nanoseconds + 500_000_000)
        conversation.close()
        return try write(conversation, name: "resp-\(requests)-\(answers)")
    }

    /// Line commands from the client, `struct:i`-framed answers from the server.
    static func mixedCapture() throws -> String {
        var conversation = TCPConversationBuilder(client: client, server: server)
        conversation.handshake()
        for command in ["ls", "pwd", "whoami"] {
            conversation.send(Array("\(command)\n".utf8), from: .clientToServer)
            let answer = Array("output of \(command)".utf8)
            var length = UInt32(answer.count).littleEndian
            let header = withUnsafeBytes(of: &length) { Array($0) }
            conversation.send(header + answer, from: .serverToClient)
        }
        conversation.close()
        return try write(conversation, name: "mixed")
    }

    static func write(_ conversation: TCPConversationBuilder, name: String) throws -> String {
        let path = NSTemporaryDirectory() + "seam-framing-\(getpid())-\(name)-\(UUID().uuidString).pcapng"
        let writer = try PcapngWriter(path: path, sectionComment: nil)
        let wire = try writer.addInterface(linkType: .ethernet, name: "lo")
        for record in conversation.records {
            try writer.writePacket(interface: wire, timestamp: record.timestamp, data: Array(record.data))
        }
        try writer.close()
        return path
    }

    static func report(_ path: String, _ request: FramingRequest) throws -> BoundaryReport {
        try ReportBuilder.build(path: path, options: ReportOptions(framing: request))
    }

    @Test("--framing-c2s and --framing-s2c frame each direction by its own spec, told its direction")
    func perDirection() throws {
        let path = try Self.mixedCapture()
        defer { unlink(path) }
        let request = try FramingRequest(framing: nil, clientToServer: "line", serverToClient: "struct:i")
        let flow = try #require(try Self.report(path, request).flows.first)
        #expect(flow.clientToServer.timeline.messageSource == .framing(.line))
        #expect(flow.clientToServer.messageCount == 3)
        #expect(flow.serverToClient.timeline.messageSource == .framing(.pythonStruct))
        #expect(flow.serverToClient.messageCount == 3)
        #expect(flow.serverToClient.timeline.framingChoice == .given)
        #expect(flow.serverToClient.timeline.framingError == nil)
    }

    @Test("--framing auto picks each direction's framing and says how well it fits")
    func auto() throws {
        let path = try Self.respCapture(requests: 4, answers: 4)
        defer { unlink(path) }
        let flow = try #require(try Self.report(path, try FramingRequest(framing: "auto")).flows.first)
        for direction in [flow.clientToServer, flow.serverToClient] {
            #expect(direction.timeline.framing == .resp)
            #expect(direction.timeline.framingChoice == .auto)
            #expect(direction.timeline.detectedFit?.description.hasPrefix("resp, 100 %") == true)
            #expect(direction.messageCount == 4)
        }
        let text = try Self.report(path, try FramingRequest(framing: "auto")).text()
        #expect(text.contains("framing auto picked resp, 100 % of"))
    }

    @Test("Past the decision length (256 KiB), the picked framer goes on alone: every message counted, times kept")
    func decisionHandsOver() throws {
        var conversation = TCPConversationBuilder(client: Self.client, server: Self.server)
        conversation.handshake()
        let lines = 4000  // 100 bytes each: 400 kB, past DirectionFramer.decisionLength
        for index in 0..<lines {
            let text = "line \(index) " + String(repeating: "x", count: 99 - "line \(index) ".count) + "\n"
            conversation.send(Array(text.utf8), from: .clientToServer)
        }
        conversation.close()
        let path = try Self.write(conversation, name: "lines")
        defer { unlink(path) }
        for request in [try FramingRequest(framing: "auto"), FramingRequest(clientToServer: nil, serverToClient: nil)] {
            let flow = try #require(try Self.report(path, request).flows.first)
            let timeline = flow.clientToServer.timeline
            #expect(timeline.framing == .line, "\(request)")
            #expect(flow.clientToServer.messageCount == lines)
            #expect(timeline.messages.allSatisfy { $0.time != nil })
            let times = timeline.messages.compactMap(\.time)
            #expect(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 }, "message times follow the stream")
        }
    }

    @Test("A framing that does not fit is said once per direction, with what fits instead; nothing is made of it")
    func misfit() throws {
        let path = try Self.respCapture(requests: 4, answers: 4)
        defer { unlink(path) }
        let report = try Self.report(path, .both(.lengthPrefixed(LengthPrefix(field: .u32be))))
        let flow = try #require(report.flows.first)
        let note = try #require(flow.clientToServer.timeline.framingError)
        #expect(note.hasPrefix("framing len:u32be does not fit c2s at byte 0"))
        #expect(note.contains("fits instead: resp"))
        #expect(flow.clientToServer.messageCount == 0)
        #expect(flow.clientToServer.timeline.messageSource == .unknown)
        #expect(flow.clientToServer.observations.isEmpty && report.verdicts.isEmpty)
    }

    @Test("No framing given: a clear fit frames a plain capture, says so, and gives observations only")
    func detectedWithoutAsking() throws {
        // Three requests, two answers, then the server stays silent and the client gives up: with the user's
        // framing this is an unanswered request; with a framing nobody asked for, no verdict.
        let path = try Self.respCapture(requests: 3, answers: 2)
        defer { unlink(path) }
        let detected = try ReportBuilder.build(path: path)
        let flow = try #require(detected.flows.first)
        #expect(flow.clientToServer.timeline.framing == .resp)
        #expect(flow.clientToServer.timeline.framingChoice == .detected)
        #expect(detected.text().contains("no framing given; detected resp"))
        #expect(detected.verdicts.isEmpty)

        let given = try Self.report(path, .both(.resp))
        #expect(given.verdicts.map(\.kind) == [.unanswered])
        var off = ReportOptions()
        off.detectsUnframed = false
        let plain = try ReportBuilder.build(path: path, options: off)
        #expect(plain.flows.first?.clientToServer.timeline.messageSource == .unknown)
    }

    @Test("Auto framing two directions differently pairs nothing: no unanswered verdict")
    func mismatchedDirectionsPairNothing() throws {
        let path = try Self.respCapture(requests: 3, answers: 2)
        defer { unlink(path) }
        let request = try FramingRequest(framing: nil, clientToServer: "resp", serverToClient: "line")
        #expect(try Self.report(path, request).verdicts.isEmpty)
    }
}
