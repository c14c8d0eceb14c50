/// Decodes captured records into IP endpoints, a transport header and the transport payload; the single entry
/// point of the stream layer.
///
/// It follows the record's link type (Ethernet with 802.1Q/QinQ tags, MPLS label stacks and PPPoE sessions, Linux
/// cooked v1/v2, BSD loopback, raw IP) to IPv4 or IPv6, through tunnels (GRE, IP in IP, IPv6 in IPv4: the inner
/// packet is the one decoded, as Wireshark keys its streams by the inner addresses), steps over IPv6 extension
/// headers, reassembles IP fragments (the state this decoder holds), and parses TCP or UDP. IPv4 super-packets
/// (total length 0) and IPv6 jumbograms, as Linux writes for BIG TCP, decode with `isSuperPacket`. Lengths come
/// from the IP header, so link padding never becomes payload; a packet the snaplen cut is delivered with the
/// payload that was captured (`payload.count < payloadLength`), and a TCP header whose options were cut is
/// delivered with `options.isTruncated`. Headers that contradict each other but still decode (an IP length
/// beyond the frame, a UDP length beyond the IP payload) give a packet with `problem` set, decoded as Wireshark
/// does. Only a packet without its fixed headers, or with
/// impossible lengths, is `.malformed`; its problem names the endpoints once the IP header was readable (port 0
/// when the ports were not).
///
/// The common path (an unfragmented TCP or UDP packet) allocates nothing: views and values are inline and the
/// payload is a slice of the record's bytes.
///
/// ```swift
/// var decoder = PacketDecoder()
/// while let record = try reader.next() {
///     if case .packet(let packet) = decoder.decode(record) { … }
/// }
/// ```
public struct PacketDecoder: Sendable {
    private var reassembler: IPFragmentReassembler
    /// Bytes of the current record the snaplen cut (original length minus captured).
    private var cutBytes = 0
    /// Tunnels (GRE, IP in IP, MPLS) entered in the current record; more than `maximumEncapsulations` is refused.
    private var encapsulations = 0
    static let maximumEncapsulations = 8

    public init(limits: FragmentReassemblyLimits = FragmentReassemblyLimits()) {
        reassembler = IPFragmentReassembler(limits: limits)
    }

    /// What fragment reassembly did so far.
    public var fragmentStatistics: FragmentStatistics { reassembler.statistics }
    /// Fragmented datagrams waiting for more fragments.
    public var datagramsInProgress: Int { reassembler.datagramsInProgress }

    /// Decodes one record. Fragments are held until their datagram is whole (`.fragmentHeld`), which then comes
    /// out of the call that completed it with `wasReassembled`.
    public mutating func decode(_ record: PacketRecord) -> DecodeOutcome {
        let data = record.data
        cutBytes = max(0, record.originalLength - data.count)
        encapsulations = 0
        do {
            switch record.linkType.rawValue {
            case LinkType.ethernet.rawValue:
                let frame = try EthernetFrameView(checking: data)
                return network(etherType: frame.etherType, frame.payload, record.timestamp)
            case LinkType.linuxSLL.rawValue, LinkType.linuxSLL2.rawValue:
                let cooked = try LinuxCookedView(
                    checking: data, version: record.linkType == .linuxSLL2 ? 2 : 1)
                return network(etherType: cooked.protocolType, cooked.payload, record.timestamp)
            case LinkType.null.rawValue, LinkType.loop.rawValue:
                let loopback = try LoopbackFrameView(checking: data, bigEndianOnly: record.linkType == .loop)
                switch loopback.ipVersion {
                case 4: return ipv4(loopback.payload, record.timestamp)
                case 6: return ipv6(loopback.payload, record.timestamp)
                default: return .notIP(etherType: nil)
                }
            case LinkType.raw.rawValue, LinkType.rawBSD.rawValue, LinkType.rawOpenBSD.rawValue,
                LinkType.ipv4.rawValue, LinkType.ipv6.rawValue:
                guard let first = data.first else {
                    return .malformed(DecodeProblem(layer: .link, reason: "raw IP packet of 0 bytes"))
                }
                switch first >> 4 {
                case 4: return ipv4(data, record.timestamp)
                case 6: return ipv6(data, record.timestamp)
                default:
                    return .malformed(DecodeProblem(layer: .link, reason: "raw IP version nibble \(first >> 4)"))
                }
            default:
                return .unsupportedLinkType(record.linkType)
            }
        } catch {
            return .malformed(error)
        }
    }

    private mutating func network(etherType: UInt16, _ data: ArraySlice<UInt8>, _ time: Timestamp) -> DecodeOutcome {
        switch etherType {
        case Wire.EtherType.ipv4: return ipv4(data, time)
        case Wire.EtherType.ipv6: return ipv6(data, time)
        case PPPoESessionView.etherType:
            do {
                let session = try PPPoESessionView(checking: data)
                guard let inner = session.etherType else { return .notIP(etherType: etherType) }
                return network(etherType: inner, session.payload, time)
            } catch {
                return .malformed(error)
            }
        case MPLSLabelStackView.unicastEtherType, MPLSLabelStackView.multicastEtherType:
            do {
                try enterTunnel()
                let stack = try MPLSLabelStackView(checking: data)
                switch stack.payloadIPVersion {
                case 4: return ipv4(stack.payload, time)
                case 6: return ipv6(stack.payload, time)
                default: return .notIP(etherType: etherType)
                }
            } catch {
                return .malformed(error)
            }
        case Wire.EtherType.vlan, Wire.EtherType.qinq, Wire.EtherType.qinqLegacy:
            // A tag the link layer did not strip (Linux cooked captures of a trunk): TCI, then the inner type.
            guard data.count >= 4 else {
                return .malformed(DecodeProblem(layer: .link, reason: "VLAN tag cut short, \(data.count) bytes"))
            }
            return network(etherType: data.wireUInt16(2), data.dropFirst(4), time)
        default: return .notIP(etherType: etherType >= 0x0600 ? etherType : nil)  // below: an 802.3 length
        }
    }

    private mutating func ipv4(_ data: ArraySlice<UInt8>, _ time: Timestamp) -> DecodeOutcome {
        let packet: IPv4PacketView
        do {
            packet = try IPv4PacketView(checking: data, wireLength: data.count + cutBytes)
        } catch {
            // The addresses are readable once 20 bytes of a version-4 header are, whatever the lengths say.
            guard data.count >= 20, data.wireUInt8(0) >> 4 == 4 else { return .malformed(error) }
            return .malformed(Self.problem(error, .v4(data.wireUInt32(12)), .v4(data.wireUInt32(16)), ArraySlice()))
        }
        let source = packet.source
        let destination = packet.destination
        guard packet.isFragment else {
            let payload = packet.payload
            var outcome = upperLayer(
                ipVersion: 4, source: source, destination: destination, hopLimit: packet.timeToLive,
                protocolNumber: packet.protocolNumber, payload, length: packet.payloadLength, time: time)
            if packet.isTotalLengthFromFrame { outcome = Self.markingSuperPacket(outcome) }
            guard packet.totalLengthField > packet.totalLength else { return outcome }  // the common case
            return Self.noting(packet.totalLengthExceedsFrame, in: outcome, payload)
        }
        let key = IPFragmentReassembler.Key(
            source: source, destination: destination, protocolNumber: packet.protocolNumber,
            identification: UInt32(packet.identification))
        return fragment(
            packet.payload, claimed: packet.payloadLength, offset: packet.fragmentOffset,
            moreFragments: packet.moreFragments, key: key, ipVersion: 4, hopLimit: packet.timeToLive, time: time,
            layer: .ipv4)
    }

    private mutating func ipv6(_ data: ArraySlice<UInt8>, _ time: Timestamp) -> DecodeOutcome {
        let packet: IPv6PacketView
        do {
            packet = try IPv6PacketView(checking: data, wireLength: data.count + cutBytes)
        } catch {
            // The fixed header may have been readable even if an extension header was not.
            guard let (source, destination) = IPv6PacketView.addresses(ofFixedHeader: data) else {
                return .malformed(error)
            }
            return .malformed(Self.problem(error, source, destination, ArraySlice()))
        }
        let source = packet.source
        let destination = packet.destination
        guard packet.isFragment else {
            let payload = packet.payload
            var outcome = upperLayer(
                ipVersion: 6, source: source, destination: destination, hopLimit: packet.hopLimit,
                protocolNumber: packet.upperLayerProtocol, payload, length: packet.upperLayerLength, time: time)
            if packet.isJumbogram { outcome = Self.markingSuperPacket(outcome) }
            guard packet.claimedPayloadLength > packet.payloadLength else { return outcome }  // the common case
            return Self.noting(packet.payloadLengthExceedsFrame, in: outcome, payload)
        }
        let key = IPFragmentReassembler.Key(
            source: source, destination: destination, protocolNumber: packet.fragmentNextHeader,
            identification: packet.fragmentIdentification)
        return fragment(
            packet.payload, claimed: packet.upperLayerLength, offset: packet.fragmentOffset,
            moreFragments: packet.moreFragments, key: key, ipVersion: 6, hopLimit: packet.hopLimit, time: time,
            layer: .ipv6)
    }

    private mutating func fragment(
        _ data: ArraySlice<UInt8>, claimed: Int, offset: Int, moreFragments: Bool, key: IPFragmentReassembler.Key,
        ipVersion: UInt8, hopLimit: UInt8, time: Timestamp, layer: DecodeProblem.Layer
    ) -> DecodeOutcome {
        guard data.count == claimed else {
            let problem = DecodeProblem(
                layer: layer, reason: "fragment cut by the snaplen (\(data.count) of \(claimed) bytes)")
            return .malformed(Self.problem(problem, key.source, key.destination, offset == 0 ? data : ArraySlice()))
        }
        switch reassembler.add(data, offset: offset, moreFragments: moreFragments, key: key, at: time) {
        case .held:
            return .fragmentHeld
        case .rejected(let reason):
            return .malformed(
                Self.problem(DecodeProblem(layer: layer, reason: reason), key.source, key.destination, ArraySlice()))
        case .complete(let datagram):
            var protocolNumber = key.protocolNumber
            var start = 0
            if ipVersion == 6 {  // extension headers after the fragment header (destination options, …)
                do {
                    let walk = try IPv6PacketView.walkExtensionHeaders(
                        startingWith: protocolNumber, in: datagram[...], at: 0, claimedEnd: datagram.count)
                    protocolNumber = walk.protocolNumber
                    start = walk.offset
                } catch {
                    return .malformed(Self.problem(error, key.source, key.destination, ArraySlice()))
                }
            }
            var outcome = upperLayer(
                ipVersion: ipVersion, source: key.source, destination: key.destination, hopLimit: hopLimit,
                protocolNumber: protocolNumber, datagram[start...], length: datagram.count - start, time: time)
            if case .packet(var packet) = outcome {
                packet.wasReassembled = true
                outcome = .packet(packet)
            }
            return outcome
        }
    }

    /// What an IP packet carries: a tunnel's inner packet (GRE, IP in IP, IPv6 in IPv4), else the transport.
    private mutating func upperLayer(
        ipVersion: UInt8, source: IPAddress, destination: IPAddress, hopLimit: UInt8, protocolNumber: UInt8,
        _ data: ArraySlice<UInt8>, length: Int, time: Timestamp
    ) -> DecodeOutcome {
        switch protocolNumber {
        case GREPacketView.protocolNumber, Wire.IPProtocol.ipInIP, Wire.IPProtocol.ipv6InIP:
            let inner = data.prefix(length)
            do {
                try enterTunnel()
                if protocolNumber == Wire.IPProtocol.ipInIP { return ipv4(inner, time) }
                if protocolNumber == Wire.IPProtocol.ipv6InIP { return ipv6(inner, time) }
                let gre = try GREPacketView(checking: inner)
                if gre.protocolType == GREPacketView.transparentEthernetBridging {
                    let frame = try EthernetFrameView(checking: gre.payload)
                    return network(etherType: frame.etherType, frame.payload, time)
                }
                return network(etherType: gre.protocolType, gre.payload, time)
            } catch {
                return .malformed(Self.problem(error, source, destination, ArraySlice()))
            }
        default:
            return Self.transport(
                ipVersion: ipVersion, source: source, destination: destination, hopLimit: hopLimit,
                protocolNumber: protocolNumber, data, length: length)
        }
    }

    /// Counts one more tunnel level of the current record.
    private mutating func enterTunnel() throws(DecodeProblem) {
        encapsulations += 1
        guard encapsulations <= Self.maximumEncapsulations else {
            throw DecodeProblem(layer: .link, reason: "more than \(Self.maximumEncapsulations) nested tunnels")
        }
    }

    /// `outcome` with its packet marked as an offloaded super-packet.
    static func markingSuperPacket(_ outcome: DecodeOutcome) -> DecodeOutcome {
        guard case .packet(var packet) = outcome else { return outcome }
        packet.isSuperPacket = true
        return .packet(packet)
    }

    /// Decodes the transport layer of `data` (as captured), whose length per the IP layer is `length`.
    static func transport(
        ipVersion: UInt8, source: IPAddress, destination: IPAddress, hopLimit: UInt8, protocolNumber: UInt8,
        _ data: ArraySlice<UInt8>, length: Int
    ) -> DecodeOutcome {
        switch protocolNumber {
        case Wire.IPProtocol.tcp:
            do {
                let segment = try TCPSegmentView(checking: data, segmentLength: length)
                return .packet(
                    DecodedPacket(
                        ipVersion: ipVersion, source: source, destination: destination, hopLimit: hopLimit,
                        transport: .tcp(TCPHeader(segment)), payload: segment.payload,
                        payloadLength: segment.payloadLength))
            } catch {
                return .malformed(problem(error, source, destination, data))
            }
        case Wire.IPProtocol.udp:
            do {
                let datagram = try UDPDatagramView(checking: data, ipPayloadLength: length)
                var packet = DecodedPacket(
                    ipVersion: ipVersion, source: source, destination: destination, hopLimit: hopLimit,
                    transport: .udp(UDPHeader(datagram)), payload: datagram.payload,
                    payloadLength: datagram.payloadLength)
                if let lengthProblem = datagram.lengthProblem {
                    packet.problem = problem(lengthProblem, source, destination, data)
                }
                return .packet(packet)
            } catch {
                return .malformed(problem(error, source, destination, data))
            }
        default:
            return .packet(
                DecodedPacket(
                    ipVersion: ipVersion, source: source, destination: destination, hopLimit: hopLimit,
                    transport: .other(protocolNumber: protocolNumber), payload: data, payloadLength: length))
        }
    }

    /// `outcome` with `problem` noted on its packet (unless it has one already).
    static func noting(_ problem: DecodeProblem?, in outcome: DecodeOutcome, _ transport: ArraySlice<UInt8>)
        -> DecodeOutcome
    {
        guard let problem, case .packet(var packet) = outcome, packet.problem == nil else { return outcome }
        packet.problem = Self.problem(problem, packet.source, packet.destination, transport)
        return .packet(packet)
    }

    /// `problem` with endpoints; ports from the transport header's first 4 bytes when captured, else 0.
    static func problem(
        _ problem: DecodeProblem, _ source: IPAddress, _ destination: IPAddress, _ transport: ArraySlice<UInt8>
    ) -> DecodeProblem {
        var result = problem
        let ports = transport.count >= 4
        result.source = Endpoint(address: source, port: ports ? transport.wireUInt16(0) : 0)
        result.destination = Endpoint(address: destination, port: ports ? transport.wireUInt16(2) : 0)
        return result
    }
}
