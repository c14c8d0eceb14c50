import SeamTestSupport
import Foundation
import Testing

@testable import SeamCore

/// A built conversation is a coherent TCP connection: sequence numbers wrap, tshark sees no analysis problems.
@Suite struct TCPConversationBuilderTests {
    static func conversation(link: PacketBuilder.Link = .linuxSLL2) -> TCPConversationBuilder {
        var conversation = TCPConversationBuilder(
            client: Endpoint("10.0.0.1:40000")!, server: Endpoint("10.0.0.2:33002")!, link: link,
            clientInitialSequence: 0xffff_fff0,
            dataOptions: TCPOptions(timestamp: TCPTimestampOption(value: 1, echoReply: 1)))
        conversation.handshake()
        conversation.send(Array(repeating: 0x41, count: 3000), from: .clientToServer)
        conversation.send(Array("ok\n".utf8), from: .serverToClient)
        conversation.close()
        return conversation
    }

    @Test func sequenceNumbersWrapAndDecode() throws {
        let conversation = Self.conversation()
        #expect(conversation.records.count == 3 + 3 + 1 + 3)
        #expect(conversation.clientBytesSent == 3000 && conversation.serverBytesSent == 3)
        var decoder = PacketDecoder()
        let headers = try conversation.records.map { try #require(decoder.decode($0).packet?.tcp) }
        #expect(headers[0].sequenceNumber == 0xffff_fff0 && headers[0].flags == .syn)
        #expect(headers[3].sequenceNumber == 0xffff_fff1)
        #expect(headers[4].sequenceNumber == 0xffff_fff1 &+ 1448)  // wrapped past 2^32
        #expect(headers[7].flags == [.fin, .ack])
        #expect(headers[9].acknowledgmentNumber == conversation.sequenceNumber(.serverToClient, offset: 4))
        #expect(conversation.records.map(\.frameNumber) == Array(1...10))
    }

    /// Only a segment with ACK set acknowledges anything; without it the field is 0, as in a SYN.
    @Test func aSegmentWithoutACKCarriesNoAcknowledgment() throws {
        var conversation = Self.conversation()
        conversation.segment(from: .serverToClient, offset: 3, [], flags: .rst)
        let header = try #require(PacketDecoder().decodeOnce(conversation.records.last!).packet?.tcp)
        #expect(header.flags == .rst && header.acknowledgmentNumber == 0)
    }

    @Test(.enabled(if: Tshark.isAvailable, "tshark is not installed"))
    func tsharkSeesACleanConnection() throws {
        let conversation = Self.conversation(link: .ethernet)
        let path = TestPcap.temporaryPath("conversation")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try TestPcap.write(conversation.frames, linkType: .ethernet, to: path)
        let rows = try Tshark.fields(
            path, ["tcp.seq", "tcp.len", "tcp.analysis.flags", "tcp.checksum.status", "tcp.stream"],
            extra: ["-o", "tcp.check_checksum:TRUE"])
        #expect(rows.count == 10)
        #expect(rows.allSatisfy { $0[2].isEmpty && $0[3] == "1" && $0[4] == "0" })  // no analysis flags, good sums
        #expect(rows.map { Int($0[1]) ?? -1 }.reduce(0, +) == 3003)
    }
}

extension PacketDecoder {
    /// Decodes one record with this (fresh) decoder.
    func decodeOnce(_ record: PacketRecord) -> DecodeOutcome {
        var decoder = self
        return decoder.decode(record)
    }
}
