@testable import SeamCore

/// A consumer that keeps everything it is told, for assertions.
final class StreamRecorder: StreamConsumer {
    var started: [FlowID] = []
    var ended: [FlowID] = []
    var segments: [FlowID: [TCPSegmentEvent]] = [:]
    var bytes: [String: [UInt8]] = [:]
    var gaps: [String: [(UInt64, UInt64)]] = [:]
    var datagrams: [FlowID: [(UDPDatagramEvent, [UInt8])]] = [:]
    var nextOffset: [String: UInt64] = [:]
    var orderViolations = 0

    func key(_ flow: FlowState, _ direction: Direction) -> String { "\(flow.id) \(direction.rawValue)" }

    func flowStarted(_ flow: FlowState) { started.append(flow.id) }
    func flowEnded(_ flow: FlowState) { ended.append(flow.id) }
    func tcpSegment(_ segment: TCPSegmentEvent, in flow: FlowState) { segments[flow.id, default: []].append(segment) }
    func tcpData(_ data: ArraySlice<UInt8>, at offset: UInt64, direction: Direction, time: Timestamp, in flow: FlowState) {
        let k = key(flow, direction)
        if nextOffset[k, default: 0] != offset { orderViolations += 1 }
        nextOffset[k] = offset + UInt64(data.count)
        bytes[k, default: []].append(contentsOf: data)
    }
    func tcpGap(at offset: UInt64, length: UInt64, direction: Direction, time: Timestamp, in flow: FlowState) {
        let k = key(flow, direction)
        if nextOffset[k, default: 0] != offset { orderViolations += 1 }
        nextOffset[k] = offset + length
        gaps[k, default: []].append((offset, length))
    }
    func udpDatagram(_ datagram: UDPDatagramEvent, payload: ArraySlice<UInt8>, in flow: FlowState) {
        datagrams[flow.id, default: []].append((datagram, Array(payload)))
    }
}

/// Builds decoded TCP/UDP packets directly, without bytes on a wire.
struct FlowScript {
    let table: FlowTable
    var frame = 0
    var time: Int64 = 1_700_000_000_000_000_000

    init(_ consumer: StreamConsumer) { table = FlowTable(consumers: [consumer]) }

    mutating func tcp(
        _ from: String, _ to: String, seq: UInt32, ack: UInt32 = 0, flags: TCPFlags = [.ack], _ payload: String = "",
        window: UInt16 = 1000, mss: UInt16? = nil, claimed: Int? = nil
    ) {
        tcpBytes(from, to, seq: seq, ack: ack, flags: flags, Array(payload.utf8), window: window, mss: mss, claimed: claimed)
    }

    mutating func tcpBytes(
        _ from: String, _ to: String, seq: UInt32, ack: UInt32 = 0, flags: TCPFlags = [.ack], _ payload: [UInt8],
        window: UInt16 = 1000, mss: UInt16? = nil, claimed: Int? = nil
    ) {
        let a = Endpoint(from)!
        let b = Endpoint(to)!
        let header = TCPHeader(
            sourcePort: a.port, destinationPort: b.port, sequenceNumber: seq, acknowledgmentNumber: ack, flags: flags,
            window: window, options: TCPOptions(maximumSegmentSize: mss))
        let packet = DecodedPacket(
            ipVersion: 4, source: a.address, destination: b.address, hopLimit: 64, transport: .tcp(header),
            payload: payload[...], payloadLength: claimed ?? payload.count)
        send(.packet(packet))
    }

    mutating func udp(_ from: String, _ to: String, _ payload: String) {
        let a = Endpoint(from)!
        let b = Endpoint(to)!
        let bytes = Array(payload.utf8)
        let header = UDPHeader(sourcePort: a.port, destinationPort: b.port, length: UInt16(8 + bytes.count))
        let packet = DecodedPacket(
            ipVersion: 4, source: a.address, destination: b.address, hopLimit: 64, transport: .udp(header),
            payload: bytes[...], payloadLength: bytes.count)
        send(.packet(packet))
    }

    mutating func send(_ outcome: DecodeOutcome) {
        frame += 1
        time += 1_000_000
        let record = PacketRecord(
            timestamp: Timestamp(nanoseconds: time), linkType: .raw, originalLength: 0, data: [], frameNumber: frame)
        table.process(outcome, record: record)
    }
}
