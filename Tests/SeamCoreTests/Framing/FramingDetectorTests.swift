import Testing

@testable import SeamCore

/// `FramingDetector` on hand-made streams: what it ranks first, what it drops and why, and how send boundaries
/// and a given framing change the result.
@Suite struct FramingDetectorTests {
    typealias P = ProtocolStreams

    /// Feeds `bytes` in chunks of `chunk` bytes (so every candidate sees a stream, not one buffer).
    static func detect(
        _ bytes: [UInt8],
        direction: Direction? = nil,
        given: FramingSpec? = nil,
        sends: [UInt64] = [],
        chunk: Int = 700
    ) -> FramingDetection {
        var detector = FramingDetector(direction: direction, given: given)
        for start in stride(from: 0, to: bytes.count, by: chunk) {
            detector.feed(bytes[start..<min(bytes.count, start + chunk)], at: UInt64(start))
        }
        for end in sends { detector.addSendEnd(end) }
        return detector.finish()
    }

    @Test(arguments: [
        (FramingSpec.tls, Direction.clientToServer, P.tls), (.http2, .clientToServer, P.h2Client),
        (.http2, .serverToClient, P.h2Server), (.grpc, .clientToServer, P.grpcClient),
        (.websocket, .clientToServer, P.wsClient), (.websocket, .serverToClient, P.wsServer),
        (.mqtt, .clientToServer, P.mqttClient), (.mqtt, .serverToClient, P.mqttServer),
        (.pgsql, .clientToServer, P.pgClient), (.pgsql, .serverToClient, P.pgServer),
        (.mysql, .serverToClient, P.mysqlServer), (.mysql, .clientToServer, P.mysqlClient),
        (.kafka, .clientToServer, P.kafkaClient), (.memcache, .clientToServer, P.memcacheClient),
        (.memcache, .serverToClient, P.memcacheServer),
    ])
    func eachProtocolIsPickedOnItsOwnStream(_ spec: FramingSpec, _ direction: Direction, _ parts: [[UInt8]]) {
        let detection = Self.detect(parts.flatMap { $0 }, direction: direction)
        #expect(detection.best?.spec == spec, "\(detection.fits.map(\.description))")
        #expect(detection.isClear)
        #expect(detection.best?.messages == parts.count)
        #expect(detection.best?.status == .fits)
        #expect(detection.best?.parsedFraction == 1)
    }

    @Test func textRespAndLinesRankByWhatTheyCheck() {
        let redis = ascii("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n*1\r\n$4\r\nPING\r\n")
        let detection = Self.detect(redis, direction: .clientToServer)
        #expect(detection.fits.map(\.spec).prefix(3) == [.resp, .crlf, .line])
        let lines = Self.detect(ascii("hello\nworld\nagain\n"))
        #expect(lines.best?.spec == .line)
        #expect(lines.fit(of: .crlf)?.isFit == false)
        #expect(lines.fit(of: .resp)?.misfit?.reason.contains("type byte") == true)
    }

    @Test func anAbsurdLengthIsAMisfitThatSaysSo() throws {
        let http = ascii("GET / HTTP/1.1\r\nHost: example\r\n\r\n")
        let detection = Self.detect(http, given: .lengthPrefixed(LengthPrefix(field: .u32be)))
        let given = try #require(detection.given)
        #expect(given.status == .doesNotFit)
        #expect(given.misfit?.offset == 0)
        #expect(
            given.misfit?.reason.contains("1.2 GB (1195725860 bytes)") == true,
            "\(String(describing: given.misfit))"
        )
        #expect(detection.best?.spec == .http1)
        let note = try #require(detection.givenMisfitNote)
        #expect(note.hasPrefix("framing len:u32be does not fit at byte 0: the message there announces 1.2 GB"))
        #expect(note.contains("fits instead: http1 (100 % parsed)"))
    }

    @Test func aGivenFramingThatFitsHasNoNote() {
        let detection = Self.detect(ascii("a\nb\n"), given: .line)
        #expect(detection.given?.status == .fits)
        #expect(detection.givenMisfitNote == nil)
    }

    @Test func bytesThatParseAsNothingGiveNoClearFit() {
        var generator = SplitMix64(state: 7)
        let noise = (0..<3000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let detection = Self.detect(noise)
        #expect(!detection.isClear, "\(detection.fits.map(\.description))")
        #expect(detection.fits.allSatisfy { $0.tier <= 1 })
    }

    /// Struct-packed messages also parse as `len:u16le` by chance; the send boundaries tell them apart.
    @Test func sendBoundariesPickTheLayoutTheSenderWrote() throws {
        var bytes: [UInt8] = []
        var sends: [UInt64] = []
        for index in 0..<40 {
            bytes += packInt32LE(Int32(3 + index % 5)) + [UInt8](repeating: UInt8(index), count: 3 + index % 5)
            sends.append(UInt64(bytes.count))
        }
        let without = Self.detect(bytes)
        #expect(without.best?.spec == .pythonStruct)
        let with = Self.detect(bytes, sends: sends)
        #expect(with.hasSends)
        let best = try #require(with.best)
        #expect(best.spec == .pythonStruct)
        #expect(best.boundariesOnSends == 1 && best.sendsOnBoundaries == 1)
        let size = FramingFit.size(UInt64(bytes.count))
        #expect(best.description == "struct:i, 100 % of \(size) parsed, 100 % of boundaries on send boundaries")
        // A sender that wrote every two messages at once: every send ends on a message boundary, half the
        // boundaries are on sends.
        let coalesced = Self.detect(bytes, sends: sends.enumerated().filter { $0.offset % 2 == 1 }.map(\.element))
        #expect(coalesced.best?.spec == .pythonStruct)
        #expect(coalesced.best?.boundariesOnSends == 0.5)
        #expect(coalesced.best?.sendsOnBoundaries == 1)
    }

    @Test func aCutStreamStillFitsUpToTheCut() throws {
        let whole = P.tls.flatMap { $0 } + P.tlsRecord(23, [UInt8](repeating: 1, count: 4000))
        let detection = Self.detect(Array(whole.dropLast(1000)))
        let best = try #require(detection.best)
        #expect(best.spec == .tls)
        #expect(best.status == .cut)
        #expect(best.description.contains("(then cut)"))
    }

    @Test func aGapStopsEveryCandidateWithoutBlamingIt() throws {
        var detector = FramingDetector(direction: .clientToServer)
        let bytes = P.mqttClient.flatMap { $0 }
        // The gap takes the second packet's header: nothing can tell where the next one starts.
        detector.feed(bytes[0..<15], at: 0)
        detector.gap(length: 5)
        detector.feed(bytes[20...], at: 20)
        let detection = detector.finish()
        let mqtt = try #require(detection.fit(of: .mqtt))
        #expect(mqtt.status == .cut)
        #expect(mqtt.misfit == nil)
    }

    @Test func aCaptureThatBeganMidStreamIsNotJudgedByItsStart() {
        // A PostgreSQL server's DataRow messages, without its start: no signature can match, the framing can.
        let rows = (0..<5).flatMap { _ in P.pgTyped("D", [0, 1, 0, 0, 0, 1, 0x31]) }
        var judged = FramingDetector(direction: .serverToClient)
        judged.feed(rows[...], at: 0)
        #expect(judged.finish().fit(of: .pgsql)?.isFit == false)
        var midStream = FramingDetector(direction: .serverToClient, seesStreamStart: false)
        midStream.feed(rows[...], at: 0)
        #expect(midStream.finish().best?.spec == .pgsql)
    }

    @Test func memoryStaysBoundedWhateverTheStream() {
        var detector = FramingDetector(direction: .clientToServer)
        let chunk = [UInt8](repeating: 0x61, count: 64 * 1024)
        for index in 0..<64 { detector.feed(chunk[...], at: UInt64(index * chunk.count)) }
        #expect(detector.byteCount == 4 << 20)
        #expect(detector.runningCount < FramingDetector.candidates.count)
        let detection = detector.finish()
        #expect(detection.bytes == 4 << 20)
        #expect(
            detection.misfits.contains { $0.spec == .line && $0.misfit?.reason.contains("only 0 % parsed") == true }
        )
    }

    @Test func bothDirectionsShareAProtocolThatFitsThemBoth() {
        let hello = Self.detect(P.tls.flatMap { $0 }, direction: .clientToServer)
        let whole = P.tls.flatMap { $0 } + P.tlsRecord(23, [UInt8](repeating: 1, count: 4000))
        let cut = Self.detect(Array(whole.dropLast(3000)), direction: .serverToClient)
        // Alone, the server's side is not clear: its stream ended inside a record.
        #expect(cut.best?.spec == .tls)
        #expect(!cut.isClear)
        let flow = FlowFramingDetection(clientToServer: hello, serverToClient: cut)
        #expect(flow.picked(.clientToServer)?.spec == .tls)
        #expect(flow.picked(.serverToClient)?.spec == .tls)
        #expect(flow.framing() == DirectionFraming(.tls))
        #expect(flow.summary(.serverToClient).hasPrefix("s2c: tls, "))
        let nothing = FlowFramingDetection(
            clientToServer: cut,
            serverToClient: Self.detect([], direction: .serverToClient)
        )
        #expect(nothing.picked(.clientToServer) == nil)
        #expect(nothing.framing(fallback: .sends) == DirectionFraming(.sends))
        #expect(nothing.summary(.serverToClient) == "s2c: no bytes")
    }
}

extension FramingDetectorTests {
    @Test func keptMessagesAreThePickedFramingsWithoutASecondPass() throws {
        let bytes = ProtocolStreams.mqttClient.flatMap { $0 }
        var detector = FramingDetector(direction: .clientToServer, keepsMessages: true)
        for start in stride(from: 0, to: bytes.count, by: 97) {
            detector.feed(bytes[start..<min(bytes.count, start + 97)], at: UInt64(start))
        }
        let detection = detector.finish()
        let best = try #require(detection.best)
        let messages = try #require(detection.messages(of: best.spec))
        #expect(messages == (try frame(.mqtt, bytes, direction: .clientToServer)))
        #expect(detection.messages(of: .tls) == nil)
        #expect(Self.detect(bytes).messages(of: .mqtt) == nil)
    }
}
