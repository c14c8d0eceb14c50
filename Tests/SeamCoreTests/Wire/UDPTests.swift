import SeamTestSupport
import Testing

@testable import SeamCore

/// smoltcp's four tests for UDP, and Wireshark's handling of length fields that disagree with IP.
@Suite struct UDPTests {
    // smoltcp's test datagram 48896 → 53 (192.168.1.1 → 192.168.1.2), length 12, checksum 0x124d.
    static let datagram: [UInt8] = [0xbf, 0x00, 0x00, 0x35, 0x00, 0x0c, 0x12, 0x4d, 0xaa, 0x00, 0x00, 0xff]

    @Test func deconstruct() throws {
        let view = try UDPDatagramView(checking: Self.datagram[...], ipPayloadLength: 12)
        #expect(view.sourcePort == 48896)
        #expect(view.destinationPort == 53)
        #expect(view.length == 12)
        #expect(view.checksum == 0x124d)
        #expect(Array(view.payload) == [0xaa, 0x00, 0x00, 0xff])
        #expect(view.lengthProblem == nil)
    }

    @Test func construct() {
        let built = PacketBuilder.udpDatagram(
            from: Endpoint("192.168.1.1:48896")!, to: Endpoint("192.168.1.2:53")!, payload: [0xaa, 0x00, 0x00, 0xff])
        #expect(built == Self.datagram)
    }

    @Test func truncated() throws {
        for length in 0..<Self.datagram.count {
            let prefix = Self.datagram[0..<length]
            if length < 8 {
                #expect(throws: DecodeProblem.self) { try UDPDatagramView(checking: prefix, ipPayloadLength: 12) }
            } else {
                let view = try UDPDatagramView(checking: prefix, ipPayloadLength: 12)
                #expect(view.payload.count == length - 8)
                #expect(view.payloadLength == 4)
            }
        }
    }

    @Test func impossibleLength() {
        var bytes = Self.datagram
        bytes[5] = 7  // length 7 < 8
        #expect(throws: DecodeProblem.self) { try UDPDatagramView(checking: bytes[...], ipPayloadLength: 12) }
        #expect(throws: DecodeProblem.self) { try UDPDatagramView(checking: Self.datagram[...], ipPayloadLength: 7) }
    }

    @Test func lengthFieldAgainstIPPayload() throws {
        // Field shorter than the IP payload: it decides, the rest is padding.
        var short = Self.datagram
        short[5] = 10
        let trimmed = try UDPDatagramView(checking: short[...], ipPayloadLength: 12)
        #expect(trimmed.payloadLength == 2)
        #expect(trimmed.lengthProblem == nil)
        // Field longer than the IP payload: flagged, the IP payload length is used (as Wireshark does).
        var long = Self.datagram
        long[5] = 40
        let flagged = try UDPDatagramView(checking: long[...], ipPayloadLength: 12)
        #expect(flagged.payloadLength == 4)
        #expect(flagged.lengthProblem?.layer == .udp)
        // Through the decoder the problem stays on the packet, with the flow's endpoints.
        var frame = PacketBuilder.udp(
            from: Endpoint("10.0.0.1:5000")!, to: Endpoint("10.0.0.2:53")!, payload: [1, 2, 3, 4], link: .raw)
        frame[25] = 200
        let packet = try #require(decodeFrame(frame, link: .raw).packet)
        #expect(packet.payloadLength == 4)
        #expect(packet.problem?.source == Endpoint("10.0.0.1:5000"))
    }
}
