import SeamTestSupport
import Foundation
import Testing

@testable import SeamCore

/// Never trapping: valid frames of every link type with random bytes overwritten and random snaplens, and the
/// fragments of a datagram with random corruption, all decode to some outcome. `SEAM_FUZZ_SEED` and
/// `SEAM_FUZZ_SCALE` (a multiplier of the rounds) explore further than the fixed default.
@Suite struct PacketDecoderFuzzTests {
    static let environment = ProcessInfo.processInfo.environment
    static let seed = UInt64(environment["SEAM_FUZZ_SEED"] ?? "") ?? 0x5eed
    static let scale = Int(environment["SEAM_FUZZ_SCALE"] ?? "") ?? 1

    /// A small deterministic generator (SplitMix64), so a failure repeats.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9e37_79b9_7f4a_7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }
    }

    static func seeds() -> [(PacketBuilder.Link, [UInt8])] {
        let v4 = (Endpoint("10.0.0.1:1000")!, Endpoint("10.0.0.2:2000")!)
        let v6 = (Endpoint("[2001:db8::1]:1000")!, Endpoint("[2001:db8::2]:2000")!)
        let options = TCPOptions(
            maximumSegmentSize: 1460, windowScale: 7, sackPermitted: true,
            sackBlocks: [SACKBlock(left: 1, right: 2)], timestamp: TCPTimestampOption(value: 3, echoReply: 4))
        var seeds: [(PacketBuilder.Link, [UInt8])] = []
        for link in [PacketBuilder.Link.ethernet, .raw, .linuxSLL, .linuxSLL2, .null, .loop] {
            for (client, server) in [v4, v6] {
                let extensions: [IPv6ExtensionHeader] =
                    client.address.isIPv6
                    ? [.hopByHop, .routing(addresses: [server.address]), .destinationOptions] : []
                seeds.append(
                    (
                        link,
                        PacketBuilder.tcp(
                            from: client, to: server, seq: 1, options: options, payload: Array(0..<64), link: link,
                            vlanTags: link == .ethernet ? [1, 2] : [], ipv6ExtensionHeaders: extensions)
                    ))
                seeds.append(
                    (
                        link,
                        PacketBuilder.udp(
                            from: client, to: server, payload: Array(0..<64), link: link,
                            ipv6ExtensionHeaders: extensions)
                    ))
            }
        }
        return seeds
    }

    @Test func corruptedFramesNeverTrap() {
        var random = SplitMix(state: Self.seed)
        var decoder = PacketDecoder()
        var counts = [0, 0, 0]  // packets, malformed, other outcomes
        for (link, seed) in Self.seeds() {
            for _ in 0..<(2_000 * Self.scale) {
                var frame = seed
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    let index = Int.random(in: 0..<min(frame.count, 96), using: &random)
                    frame[index] = UInt8.random(in: 0...255, using: &random)
                }
                let snaplen =
                    Bool.random(using: &random) ? frame.count : Int.random(in: 0...frame.count, using: &random)
                let record = PacketRecord(
                    timestamp: Timestamp(nanoseconds: 0), linkType: link.linkType, originalLength: frame.count,
                    data: frame.prefix(snaplen))
                switch decoder.decode(record) {
                case .packet(let packet):
                    counts[0] += 1
                    #expect(packet.payload.count <= max(packet.payloadLength, 0) || packet.wasReassembled)
                case .malformed: counts[1] += 1
                default: counts[2] += 1
                }
            }
        }
        print("fuzzed \(counts.reduce(0, +)) frames: \(counts[0]) packets, \(counts[1]) malformed, \(counts[2]) other")
        #expect(counts[0] > 0 && counts[1] > 0)
    }

    @Test func randomBytesNeverTrap() {
        var random = SplitMix(state: Self.seed ^ 0xbad)
        var decoder = PacketDecoder()
        var packets = 0
        var malformed = 0
        let links: [LinkType] = [.ethernet, .raw, .linuxSLL, .linuxSLL2, .null, .loop, .ipv4, .ipv6]
        for index in 0..<(20_000 * Self.scale) {
            let link = links[index % links.count]
            var frame = (0..<Int.random(in: 0...120, using: &random)).map { _ in
                UInt8.random(in: 0...255, using: &random)
            }
            if !frame.isEmpty, Bool.random(using: &random) {  // often a plausible IP version nibble
                let at = [LinkType.ethernet: 14, .linuxSLL: 16, .linuxSLL2: 20, .null: 4, .loop: 4][link] ?? 0
                if at < frame.count { frame[at] = (Bool.random(using: &random) ? 0x45 : 0x60) | frame[at] & 0x0a }
            }
            let record = PacketRecord(
                timestamp: Timestamp(nanoseconds: Int64(index)), linkType: link,
                originalLength: frame.count + Int.random(in: 0...3, using: &random) * 100, data: frame[...])
            switch decoder.decode(record) {
            case .packet: packets += 1
            case .malformed: malformed += 1
            default: break
            }
        }
        print("random bytes: \(packets) packets, \(malformed) malformed")
        #expect(packets > 0 && malformed > 0)  // both paths were exercised, and nothing trapped
    }

    @Test func corruptedFragmentsNeverTrap() {
        var random = SplitMix(state: Self.seed ^ 0xf4a9)
        var decoder = PacketDecoder(limits: FragmentReassemblyLimits(maximumDatagramsInProgress: 8))
        let whole = PacketBuilder.udp(
            from: Endpoint("10.0.0.1:1")!, to: Endpoint("10.0.0.2:2")!, payload: Array(repeating: 7, count: 2000),
            link: .raw)
        let transport = PacketBuilder.udpDatagram(
            from: Endpoint("[2001:db8::1]:1")!, to: Endpoint("[2001:db8::2]:2")!,
            payload: Array(repeating: 7, count: 2000))
        var delivered = 0
        for round in 0..<(1_000 * Self.scale) {
            var fragments =
                round % 2 == 0
                ? PacketBuilder.ipv4Fragments(whole, fragmentSize: 512, link: .raw)
                : PacketBuilder.ipv6Fragments(
                    from: IPAddress("2001:db8::1")!, to: IPAddress("2001:db8::2")!, nextHeader: 17,
                    transport: transport, identification: UInt32(round % 5), fragmentSize: 512, link: .raw)
            fragments.shuffle(using: &random)
            for index in fragments.indices where Int.random(in: 0..<4, using: &random) == 0 {
                let at = Int.random(in: 0..<(round % 2 == 0 ? 28 : 56), using: &random)  // IP, fragment, UDP headers
                fragments[index][at] = UInt8.random(in: 0...255, using: &random)
            }
            for fragment in fragments {
                let record = PacketBuilder.record(
                    fragment, link: .raw, at: Timestamp(seconds: Int64(round), nanoseconds: 0))
                if case .packet(let packet) = decoder.decode(record), packet.wasReassembled { delivered += 1 }
            }
        }
        #expect(delivered > 0)
        #expect(decoder.datagramsInProgress <= 8)
    }
}
