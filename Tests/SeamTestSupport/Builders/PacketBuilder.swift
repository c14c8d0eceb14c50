import SeamCore

/// Builds whole frames for tests and fixtures: correct IPv4 header checksums and TCP/UDP checksums over the
/// IPv4 or IPv6 pseudo-header, so tshark shows no checksum errors.
///
/// ```swift
/// let client = Endpoint("10.0.0.1:40000")!, server = Endpoint("10.0.0.2:80")!
/// let syn = PacketBuilder.tcp(from: client, to: server, seq: 1000, flags: .syn,
///                             options: TCPOptions(maximumSegmentSize: 1460, sackPermitted: true))
/// let data = PacketBuilder.tcp(from: client, to: server, seq: 1001, ack: 5001, flags: [.ack, .psh],
///                              payload: Array("hello".utf8), link: .linuxSLL2)
/// let pieces = PacketBuilder.ipv4Fragments(
///     PacketBuilder.udp(from: client, to: server, payload: big, link: .raw), fragmentSize: 1480)
/// let record = PacketBuilder.record(data, link: .linuxSLL2, at: Timestamp(seconds: 1, nanoseconds: 0))
/// ```
///
/// Both endpoints must be of one family; it decides IPv4 or IPv6. Ethernet frames are padded to the 60-byte
/// minimum like a NIC does, which tests that the decoder trims padding by the IP length.
public enum PacketBuilder {
    /// The link layer to wrap an IP packet in.
    public enum Link: Hashable, Sendable {
        /// Ethernet II (`EN10MB`), with `vlanTags` as 802.1Q tags (several: outer 0x88a8 QinQ, inner 0x8100).
        case ethernet
        /// Raw IP (`RAW`, 101).
        case raw
        /// Linux cooked v1 (`LINUX_SLL`).
        case linuxSLL
        /// Linux cooked v2 (`LINUX_SLL2`).
        case linuxSLL2
        /// BSD loopback (`NULL`), family little-endian; IPv6 as 24 (the BSDs' AF_INET6, which Wireshark knows).
        case null
        /// OpenBSD loopback (`LOOP`), family big-endian.
        case loop

        public var linkType: LinkType {
            switch self {
            case .ethernet: return .ethernet
            case .raw: return .raw
            case .linuxSLL: return .linuxSLL
            case .linuxSLL2: return .linuxSLL2
            case .null: return .null
            case .loop: return .loop
            }
        }
    }

    public static let sourceMAC = MACAddress(rawValue: 0x02_00_00_00_00_01)
    public static let destinationMAC = MACAddress(rawValue: 0x02_00_00_00_00_02)

    // MARK: whole frames

    /// A TCP segment in an IP packet in a frame of `link`.
    public static func tcp(
        from source: Endpoint, to destination: Endpoint, seq: UInt32, ack: UInt32 = 0, flags: TCPFlags = .ack,
        window: UInt16 = 65_535, options: TCPOptions = TCPOptions(), payload: [UInt8] = [],
        link: Link = .ethernet, vlanTags: [UInt16] = [], ipv6ExtensionHeaders: [IPv6ExtensionHeader] = [],
        hopLimit: UInt8 = 64, identification: UInt16 = 0
    ) -> [UInt8] {
        let segment = tcpSegment(
            from: source, to: destination, seq: seq, ack: ack, flags: flags, window: window, options: options,
            payload: payload)
        let packet = ipPacket(
            from: source.address, to: destination.address, protocolNumber: Wire.IPProtocol.tcp, transport: segment,
            hopLimit: hopLimit, identification: identification, ipv6ExtensionHeaders: ipv6ExtensionHeaders)
        return frame(packet, link: link, vlanTags: vlanTags)
    }

    /// A UDP datagram in an IP packet in a frame of `link`.
    public static func udp(
        from source: Endpoint, to destination: Endpoint, payload: [UInt8], link: Link = .ethernet,
        vlanTags: [UInt16] = [], ipv6ExtensionHeaders: [IPv6ExtensionHeader] = [], hopLimit: UInt8 = 64,
        identification: UInt16 = 0
    ) -> [UInt8] {
        let datagram = udpDatagram(from: source, to: destination, payload: payload)
        let packet = ipPacket(
            from: source.address, to: destination.address, protocolNumber: Wire.IPProtocol.udp,
            transport: datagram, hopLimit: hopLimit, identification: identification,
            ipv6ExtensionHeaders: ipv6ExtensionHeaders)
        return frame(packet, link: link, vlanTags: vlanTags)
    }

    /// Splits the IPv4 packet at the start of `packet` (as `.raw` frames hold it) into fragments of at most
    /// `fragmentSize` payload bytes (rounded down to a multiple of 8), each wrapped in `link`, in order.
    public static func ipv4Fragments(
        _ packet: [UInt8], fragmentSize: Int, link: Link = .ethernet, vlanTags: [UInt16] = []
    ) -> [[UInt8]] {
        guard let view = try? IPv4PacketView(checking: packet[...]) else { return [frame(packet, link: link)] }
        var header = IPv4Header(view)
        let data = Array(view.payload)
        let step = max(8, fragmentSize / 8 * 8)
        return stride(from: 0, to: data.count, by: step).map { offset in
            let piece = data[offset..<min(offset + step, data.count)]
            header.fragmentOffset = view.fragmentOffset + offset
            header.moreFragments = view.moreFragments || offset + piece.count < data.count
            header.payloadLength = piece.count
            var out: [UInt8] = []
            header.emit(into: &out)
            out += piece
            return frame(out, link: link, vlanTags: vlanTags)
        }
    }

    /// IPv6 fragments carrying `transport` (a whole TCP segment or UDP datagram, protocol `nextHeader`), each
    /// with a fragment header right after the fixed header and at most `fragmentSize` bytes (rounded down to 8).
    public static func ipv6Fragments(
        from source: IPAddress, to destination: IPAddress, nextHeader: UInt8, transport: [UInt8],
        identification: UInt32, fragmentSize: Int, link: Link = .ethernet, vlanTags: [UInt16] = [],
        hopLimit: UInt8 = 64
    ) -> [[UInt8]] {
        let step = max(8, fragmentSize / 8 * 8)
        return stride(from: 0, to: transport.count, by: step).map { offset in
            let piece = transport[offset..<min(offset + step, transport.count)]
            let fragment = IPv6ExtensionHeader.fragment(
                offset: offset, moreFragments: offset + piece.count < transport.count, identification: identification)
            var out: [UInt8] = []
            IPv6Header(
                source: source, destination: destination, nextHeader: Wire.IPProtocol.ipv6Fragment,
                payloadLength: 8 + piece.count, hopLimit: hopLimit
            ).emit(into: &out)
            fragment.emit(into: &out, nextHeader: nextHeader)
            out += piece
            return frame(out, link: link, vlanTags: vlanTags)
        }
    }

    /// A capture record of `frame`, as a reader would return it.
    public static func record(
        _ frame: [UInt8], link: Link = .ethernet, at time: Timestamp = Timestamp(nanoseconds: 0),
        snaplen: Int = Int.max, frameNumber: Int = 1
    ) -> PacketRecord {
        PacketRecord(
            timestamp: time, linkType: link.linkType, originalLength: frame.count, data: frame.prefix(snaplen),
            frameNumber: frameNumber)
    }

    // MARK: layers

    /// A TCP segment (header, options and payload) with its checksum over the pseudo-header.
    public static func tcpSegment(
        from source: Endpoint, to destination: Endpoint, seq: UInt32, ack: UInt32 = 0, flags: TCPFlags = .ack,
        window: UInt16 = 65_535, options: TCPOptions = TCPOptions(), payload: [UInt8] = []
    ) -> [UInt8] {
        var out: [UInt8] = []
        TCPHeader(
            sourcePort: source.port, destinationPort: destination.port, sequenceNumber: seq,
            acknowledgmentNumber: ack, flags: flags, window: window, options: options
        ).emit(into: &out)
        out += payload
        let checksum = InternetChecksum.transportChecksum(
            source: source.address, destination: destination.address, protocolNumber: Wire.IPProtocol.tcp,
            segment: out[...])
        out[16] = UInt8(checksum >> 8)
        out[17] = UInt8(checksum & 0xFF)
        return out
    }

    /// A UDP datagram with its length and checksum over the pseudo-header.
    public static func udpDatagram(from source: Endpoint, to destination: Endpoint, payload: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        UDPHeader(
            sourcePort: source.port, destinationPort: destination.port,
            length: UInt16(truncatingIfNeeded: 8 + payload.count)
        ).emit(into: &out)
        out += payload
        let checksum = InternetChecksum.transportChecksum(
            source: source.address, destination: destination.address, protocolNumber: Wire.IPProtocol.udp,
            segment: out[...])
        out[6] = UInt8(checksum >> 8)
        out[7] = UInt8(checksum & 0xFF)
        return out
    }

    /// An IPv4 packet (when `source` is IPv4) or IPv6 packet with `ipv6ExtensionHeaders` in order before the
    /// transport. Above 64 KiB it is a super-packet as Linux's BIG TCP writes it: IPv4 with total length 0, IPv6 a
    /// jumbogram (a hop-by-hop Jumbo Payload option first).
    public static func ipPacket(
        from source: IPAddress, to destination: IPAddress, protocolNumber: UInt8, transport: [UInt8],
        hopLimit: UInt8 = 64, identification: UInt16 = 0, ipv6ExtensionHeaders: [IPv6ExtensionHeader] = []
    ) -> [UInt8] {
        var out: [UInt8] = []
        if source.isIPv6 {
            var ipv6ExtensionHeaders = ipv6ExtensionHeaders
            let length = ipv6ExtensionHeaders.reduce(0) { $0 + $1.encodedLength } + transport.count
            if length > 0xFFFF {  // a jumbogram, as Linux's BIG TCP writes: payload length 0, the length in hop-by-hop
                ipv6ExtensionHeaders.insert(.jumboPayload(length: UInt32(truncatingIfNeeded: length + 8)), at: 0)
            }
            let extensionLength = ipv6ExtensionHeaders.reduce(0) { $0 + $1.encodedLength }
            IPv6Header(
                source: source, destination: destination,
                nextHeader: ipv6ExtensionHeaders.first?.type ?? protocolNumber,
                payloadLength: extensionLength + transport.count, hopLimit: hopLimit
            ).emit(into: &out)
            for (index, header) in ipv6ExtensionHeaders.enumerated() {
                let next =
                    index + 1 < ipv6ExtensionHeaders.count ? ipv6ExtensionHeaders[index + 1].type : protocolNumber
                header.emit(into: &out, nextHeader: next)
            }
        } else {
            IPv4Header(
                source: source, destination: destination, protocolNumber: protocolNumber,
                payloadLength: transport.count, timeToLive: hopLimit, identification: identification
            ).emit(into: &out)
        }
        return out + transport
    }

    /// Wraps an IP packet in `link`'s header (the IP version from its first nibble).
    public static func frame(_ packet: [UInt8], link: Link, vlanTags: [UInt16] = []) -> [UInt8] {
        let isIPv6 = (packet.first ?? 0x40) >> 4 == 6
        let etherType = isIPv6 ? Wire.EtherType.ipv6 : Wire.EtherType.ipv4
        var out: [UInt8] = []
        switch link {
        case .ethernet:
            let tags = vlanTags.enumerated().map { index, id in
                VLANTag(
                    tagProtocol: index + 1 < vlanTags.count ? Wire.EtherType.qinq : Wire.EtherType.vlan,
                    controlInformation: id & 0x0fff)
            }
            EthernetHeader(destination: destinationMAC, source: sourceMAC, vlanTags: tags, etherType: etherType)
                .emit(into: &out)
            out += packet
            while out.count < 60 { out.append(0) }  // minimum frame (without FCS)
            return out
        case .raw:
            return packet
        case .linuxSLL, .linuxSLL2:
            LinuxCookedHeader(version: link == .linuxSLL2 ? 2 : 1, protocolType: etherType).emit(into: &out)
        case .null, .loop:
            LoopbackHeader(family: isIPv6 ? 24 : 2, isBigEndian: link == .loop).emit(into: &out)
        }
        return out + packet
    }
}
