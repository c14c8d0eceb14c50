import SeamTestSupport
import Testing

@testable import SeamCore

/// `FramingSurvey` over a reassembled capture with a session's send calls: both directions detected, scored
/// against the sends, and rendered.
@Suite struct FramingSurveyTests {
    static let client = Endpoint(address: IPAddress("127.0.0.1")!, port: 51_000)
    static let server = Endpoint(address: IPAddress("127.0.0.1")!, port: 9000)

    /// Struct-packed requests (one send each) and line answers (two lines a send).
    static func survey(withSends: Bool) -> [FramingSurvey.FlowResult] {
        var conversation = TCPConversationBuilder(client: client, server: server)
        conversation.handshake()
        let survey = FramingSurvey()
        var offsets = DirectionPair(repeating: UInt64(0))
        func send(_ bytes: [UInt8], _ direction: Direction) {
            conversation.send(bytes, from: direction, segmentSize: 50)
            let call = SessionCall(
                kind: .send,
                connection: 1,
                leg: .app,
                direction: direction,
                offset: offsets[direction],
                length: bytes.count,
                source: direction == .clientToServer ? client : server,
                destination: direction == .clientToServer ? server : client,
                timestamp: Timestamp(seconds: 1_700_000_000, nanoseconds: 0)
            )
            offsets[direction] += UInt64(bytes.count)
            if withSends { survey.add(call) }
        }
        for index in 0..<20 {
            send(packInt32LE(Int32(index + 1)) + [UInt8](repeating: 0x41, count: index + 1), .clientToServer)
            if index.isMultiple(of: 2) { send(ascii("ok \(index)\nok \(index + 1)\n"), .serverToClient) }
        }
        conversation.close()
        let table = FlowTable(consumers: [survey])
        var decoder = PacketDecoder()
        for record in conversation.records { table.process(decoder.decode(record), record: record) }
        table.finish()
        return survey.results
    }

    @Test func bothDirectionsAreDetectedAndScoredAgainstTheSends() throws {
        let result = try #require(Self.survey(withSends: true).first)
        #expect(result.id.description == "tcp.0")
        let c2s = try #require(result.detection.picked(.clientToServer))
        #expect(c2s.spec == .pythonStruct)
        #expect(c2s.sendsOnBoundaries == 1)
        let s2c = try #require(result.detection.picked(.serverToClient))
        #expect(s2c.spec == .line)
        #expect(s2c.boundariesOnSends == 0.5)
        #expect(s2c.sendsOnBoundaries == 1)
        let text = result.text()
        #expect(text.hasPrefix("tcp.0 127.0.0.1:51000 → 127.0.0.1:9000\n  c2s  "))
        #expect(text.contains("struct:i, 100 % of"))
        #expect(text.contains("50 % of boundaries on send boundaries"))
        #expect(text.contains("does not fit: "))
        let json = result.json().serialized()
        #expect(json.contains(#""framing":"struct:i""#))
        #expect(json.contains(#""sends_on_boundaries":1"#))
    }

    @Test func withoutSendsTheSameFramingsArePicked() throws {
        let result = try #require(Self.survey(withSends: false).first)
        #expect(result.detection.picked(.clientToServer)?.spec == .pythonStruct)
        #expect(result.detection.picked(.clientToServer)?.boundariesOnSends == nil)
        #expect(result.detection.picked(.serverToClient)?.spec == .line)
        #expect(!result.text().contains("send boundaries"))
    }

    @Test func sendBoundaryIndexTiesProxyCallsToTheirLeg() {
        var index = SendBoundaryIndex()
        let time = Timestamp(seconds: 0, nanoseconds: 0)
        index.add(
            SessionCall(
                kind: .accept,
                connection: 3,
                leg: .downstream,
                source: Self.client,
                destination: Self.server,
                timestamp: time
            )
        )
        index.add(
            SessionCall(
                kind: .send,
                connection: 3,
                leg: .downstream,
                direction: .serverToClient,
                offset: 0,
                length: 10,
                timestamp: time
            )
        )
        index.add(
            SessionCall(
                kind: .send,
                connection: 3,
                leg: .downstream,
                direction: .serverToClient,
                offset: 10,
                length: 0,
                timestamp: time
            )
        )
        index.add(
            SessionCall(
                kind: .recv,
                connection: 3,
                leg: .downstream,
                direction: .clientToServer,
                offset: 0,
                length: 4,
                timestamp: time
            )
        )
        #expect(index.sendCount == 1)
        #expect(index.ends(client: Self.client, server: Self.server, direction: .serverToClient) == [10])
        #expect(index.ends(client: Self.server, server: Self.client, direction: .clientToServer) == [10])
        #expect(index.ends(client: Self.client, server: Self.server, direction: .clientToServer).isEmpty)
    }
}
