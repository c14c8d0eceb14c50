import SeamTestSupport
import Foundation
import Testing

@testable import SeamCore

/// Decoding throughput, a measurement and not a check: set `SEAM_BENCHMARK=1` to run it (use a release build,
/// `swift test -c release --filter DecodeThroughput`, for meaningful numbers). `SEAM_BENCHMARK_PACKETS` sets the
/// count (default 2 000 000).
@Suite struct DecodeThroughputTests {
    static let enabled = ProcessInfo.processInfo.environment["SEAM_BENCHMARK"] != nil

    /// Ordinary TCP traffic: Ethernet + IPv4 + TCP with timestamps, four payload sizes, one with SACK blocks.
    static func records() -> [PacketRecord] {
        let client = Endpoint("10.0.0.1:40000")!
        let server = Endpoint("10.0.0.2:80")!
        let options = TCPOptions(timestamp: TCPTimestampOption(value: 1, echoReply: 2))
        var sack = options
        sack.sackBlocks = [SACKBlock(left: 10, right: 20)]
        return [
            PacketBuilder.tcp(
                from: client, to: server, seq: 1, options: options, payload: [UInt8](repeating: 1, count: 1448)),
            PacketBuilder.tcp(from: server, to: client, seq: 1, options: options),
            PacketBuilder.tcp(
                from: client, to: server, seq: 2, options: options, payload: [UInt8](repeating: 2, count: 100)),
            PacketBuilder.tcp(from: server, to: client, seq: 3, options: sack, link: .ethernet, vlanTags: [7]),
        ].map { PacketBuilder.record($0) }
    }

    @Test(.enabled(if: enabled, "set SEAM_BENCHMARK=1 to measure decoding throughput"))
    func decodeSyntheticTCPFrames() {
        let count = Int(ProcessInfo.processInfo.environment["SEAM_BENCHMARK_PACKETS"] ?? "") ?? 2_000_000
        let records = Self.records()
        var decoder = PacketDecoder()
        var payloadBytes = 0
        let start = Timestamp.now()
        for index in 0..<count {
            if case .packet(let packet) = decoder.decode(records[index & 3]) { payloadBytes &+= packet.payload.count }
        }
        let elapsed = Timestamp.now().nanoseconds - start.nanoseconds
        let perPacket = Double(elapsed) / Double(count)
        print(
            "decoded \(count) TCP frames in \(Double(elapsed) / 1e9) s: \(perPacket) ns/packet, payload \(payloadBytes)"
        )
        #expect(payloadBytes == count / 4 * (1448 + 100))
    }
}
