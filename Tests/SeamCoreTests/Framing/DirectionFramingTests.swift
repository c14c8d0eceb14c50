import Testing

@testable import SeamCore

@Suite struct DirectionFramingTests {
    @Test func optionsCombineIntoAFramingPerDirection() throws {
        let both = try FramingRequest(framing: "pgsql")
        #expect(both.fixed == DirectionFraming(.pgsql))
        #expect(both.description == "pgsql")
        let split = try FramingRequest(framing: nil, clientToServer: "line", serverToClient: "len:u32be")
        #expect(
            split.fixed
                == DirectionFraming(clientToServer: .line, serverToClient: .lengthPrefixed(LengthPrefix(field: .u32be)))
        )
        #expect(split.fixed?.description == "c2s line, s2c len:u32be")
        let override = try FramingRequest(framing: "line", serverToClient: "struct:i")
        #expect(override[.clientToServer] == .spec(.line))
        #expect(override[.serverToClient] == .spec(.pythonStruct))
        let half = try FramingRequest(framing: nil, clientToServer: "line")
        #expect(half.fixed == nil)
        #expect(half[.serverToClient] == nil)
        #expect(try FramingRequest(framing: nil).isEmpty)
        let auto = try FramingRequest(framing: "auto", serverToClient: "resp")
        #expect(auto.wantsDetection)
        #expect(auto.clientToServer == .auto)
        #expect(auto.description == "c2s auto, s2c resp")
    }

    @Test func aBadOptionNamesItsBadPart() {
        #expect(
            throws: FramingSpecError(
                spec: "len:u16be@-1",
                reason: "offset -1 is negative (expected @N, N ≥ 0: bytes before the length field)"
            )
        ) {
            try FramingRequest(framing: nil, clientToServer: "len:u16be@-1")
        }
        #expect(throws: FramingSpecError.self) { try FramingChoice(parsing: "automatic") }
    }

    @Test func autoIsResolvedByWhatDetectionPicked() throws {
        var c2s = FramingDetector(direction: .clientToServer)
        c2s.feed(ascii("*1\r\n$4\r\nPING\r\n")[...], at: 0)
        var s2c = FramingDetector(direction: .serverToClient)
        s2c.feed(ascii("+PONG\r\n")[...], at: 0)
        let detection = FlowFramingDetection(clientToServer: c2s.finish(), serverToClient: s2c.finish())
        let auto = try FramingRequest(framing: "auto")
        #expect(auto.resolved(with: detection) == DirectionFraming(.resp))
        let mixed = try FramingRequest(framing: nil, serverToClient: "line")
        #expect(mixed.resolved(with: detection) == DirectionFraming(clientToServer: .sends, serverToClient: .line))
        #expect(
            mixed.resolved(with: detection, detectsUnset: true)
                == DirectionFraming(clientToServer: .resp, serverToClient: .line)
        )
        #expect(auto.resolved(with: nil, fallback: .noMessages) == DirectionFraming(.noMessages))
    }

    @Test func aDirectionFramingMakesFramersThatKnowTheirSide() throws {
        var framing = DirectionFraming(.mqtt)
        #expect(framing.isSymmetric)
        framing[.serverToClient] = .line
        #expect(!framing.isSymmetric)
        var framer = DirectionFraming(.mqtt).makeFramer(.clientToServer)
        #expect(framer.direction == .clientToServer)
        #expect(throws: FramingError.self) { try framer.feed([0x20, 0x02, 0, 0][...], at: 0) }
    }

    @Test func specsWithoutByteMessagesFrameNothingAndSaySo() throws {
        for spec in [FramingSpec.sends, .segments, .noMessages] {
            var framer = MessageFramer(spec: spec)
            #expect(try framer.feed(ascii("abc\n")[...], at: 0).isEmpty)
            #expect(try framer.finish().isEmpty)
            #expect(framer.bufferedByteCount == 0)
        }
        #expect(FramingSpec.sends.messageSource == .sendCalls)
        #expect(FramingSpec.segments.messageSource == .segments)
        #expect(FramingSpec.noMessages.messageSource == .noMessages)
        #expect(FramingSpec.line.messageSource == .bytes)
    }

    @Test func everyFramingHasAFixOfItsOwn() {
        let hints = (FramingDetector.candidates + [.sends, .fixed(size: 8), .delimiter([0])]).map(\.fixHint)
        #expect(hints.allSatisfy { !$0.isEmpty && $0.hasSuffix(".") })
        #expect(FramingSpec.pgsql.fixHint.contains("type byte"))
        #expect(FramingSpec.mqtt.fixHint.contains("Remaining Length"))
        #expect(!FramingSpec.tls.fixHint.contains("struct.pack"))
        #expect(FramingSpec.sends.fixHint.contains("struct.pack('i', len)"))
        #expect(
            FramingSpec.firstThen(first: .line, then: .pythonStruct).fixHint.hasPrefix(
                "frame the first message as line"
            )
        )
    }

    @Test func mqttIsHintedAsMQTTNotAsDNSOrStruct() {
        let connect = ProtocolStreams.mqttClient.flatMap { $0 }.prefix(64)
        #expect(FramingSpec.guess(firstBytes: connect) == [.mqtt])
        let connack = ProtocolStreams.mqttServer.flatMap { $0 }.prefix(64)
        let hints = FramingSpec.guess(firstBytes: connack)
        #expect(hints.first == .mqtt)
        #expect(!hints.contains(.dnsTCP) && !hints.contains(.pythonStruct))
        #expect(FramingSpec.guess(firstBytes: ProtocolStreams.tls.flatMap { $0 }[...]).first == .tls)
        #expect(FramingSpec.guess(firstBytes: ProtocolStreams.h2Client.flatMap { $0 }.prefix(64)).first == .http2)
    }
}
