import SeamCore

/// Ethernet/IPv4/IPv6/TCP/UDP frames built by hand for the filter tests, and the reverse: the transport
/// payload of a captured Ethernet frame. Checksums are left 0 (BPF does not look at them).
enum TestFrames {
    /// An Ethernet II frame carrying one TCP segment (or UDP datagram) from `source` to `destination`.
    static func frame(
        from source: Endpoint,
        to destination: Endpoint,
        udp: Bool = false,
        payload: [UInt8] = []
    )
        -> [UInt8]
    {
        let transport = udp ? udpHeader(source, destination, payload.count) : tcpHeader(source, destination)
        let body = transport + payload
        var frame: [UInt8] = [0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1]  // destination MAC, source MAC
        switch (source.address, destination.address) {
        case (.v4, .v4):
            frame += [0x08, 0x00]  // EtherType IPv4
            let total = 20 + body.count
            frame += [0x45, 0x00, UInt8(total >> 8), UInt8(total & 0xff)]  // version/IHL, DSCP, total length
            frame += [0x12, 0x34, 0x40, 0x00]  // identification, flags DF, fragment offset 0
            frame += [64, udp ? 17 : 6, 0, 0]  // TTL, protocol, header checksum
            frame += source.address.bytes + destination.address.bytes
        case (.v6, .v6):
            frame += [0x86, 0xdd]  // EtherType IPv6
            frame += [0x60, 0, 0, 0]  // version 6, traffic class, flow label
            frame += [UInt8(body.count >> 8), UInt8(body.count & 0xff), udp ? 17 : 6, 64]  // length, next, hops
            frame += source.address.bytes + destination.address.bytes
        default:
            preconditionFailure("mixed address families in one packet")
        }
        return frame + body
    }

    private static func tcpHeader(_ source: Endpoint, _ destination: Endpoint) -> [UInt8] {
        ports(source, destination)
            + [0, 0, 0, 1, 0, 0, 0, 0]  // sequence, acknowledgment
            + [0x50, 0x18, 0xff, 0xff]  // data offset 5, flags PSH|ACK, window
            + [0, 0, 0, 0]  // checksum, urgent pointer
    }

    private static func udpHeader(_ source: Endpoint, _ destination: Endpoint, _ payloadLength: Int) -> [UInt8] {
        let length = 8 + payloadLength
        return ports(source, destination) + [UInt8(length >> 8), UInt8(length & 0xff), 0, 0]
    }

    private static func ports(_ source: Endpoint, _ destination: Endpoint) -> [UInt8] {
        [
            UInt8(source.port >> 8), UInt8(source.port & 0xff), UInt8(destination.port >> 8),
            UInt8(destination.port & 0xff),
        ]
    }

    /// A TCP segment as the tests read it back from an Ethernet frame (the loopback interface's link type).
    struct Segment: Equatable {
        var source: Endpoint
        var destination: Endpoint
        var flags: UInt8
        var payload: [UInt8]
    }

    /// The TCP segment in an Ethernet/IPv4 or Ethernet/IPv6 frame, or nil for anything else.
    static func tcpSegment(inEthernet frame: [UInt8]) -> Segment? {
        guard frame.count >= 14 else { return nil }
        let etherType = Int(frame[12]) << 8 | Int(frame[13])
        var offset = 14
        let source: IPAddress
        let destination: IPAddress
        let end: Int
        switch etherType {
        case 0x0800:
            guard frame.count >= offset + 20, frame[offset + 9] == 6 else { return nil }
            let headerLength = Int(frame[offset] & 0x0f) * 4
            end = offset + (Int(frame[offset + 2]) << 8 | Int(frame[offset + 3]))
            source = IPAddress(bytes: frame[(offset + 12)..<(offset + 16)])!
            destination = IPAddress(bytes: frame[(offset + 16)..<(offset + 20)])!
            offset += headerLength
        case 0x86dd:
            guard frame.count >= offset + 40, frame[offset + 6] == 6 else { return nil }
            end = offset + 40 + (Int(frame[offset + 4]) << 8 | Int(frame[offset + 5]))
            source = IPAddress(bytes: frame[(offset + 8)..<(offset + 24)])!
            destination = IPAddress(bytes: frame[(offset + 24)..<(offset + 40)])!
            offset += 40
        default:
            return nil
        }
        guard frame.count >= offset + 20, end <= frame.count else { return nil }
        let sourcePort = UInt16(frame[offset]) << 8 | UInt16(frame[offset + 1])
        let destinationPort = UInt16(frame[offset + 2]) << 8 | UInt16(frame[offset + 3])
        let dataOffset = Int(frame[offset + 12] >> 4) * 4
        return Segment(
            source: Endpoint(address: source, port: sourcePort),
            destination: Endpoint(address: destination, port: destinationPort),
            flags: frame[offset + 13],
            payload: Array(frame[(offset + dataOffset)..<end])
        )
    }
}
