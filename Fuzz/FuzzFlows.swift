/// The `flows` target: a `FuzzSegmentScript` conversation handed to `FlowTable` as `DecodedPacket`s (no packet
/// built, checksummed or parsed), with the whole `StreamConsumer` contract and the counters checked by
/// `FuzzContractConsumer`: the flow table's own rules (closes, ends, port reuse, SYN-ACK rebases, acknowledgments
/// after the close, super-segments) on top of the reassembler's.
enum FuzzFlows {
    static let clientAddress = IPAddress.v4(0x0a00_0001)
    static let serverAddress = IPAddress.v4(0x0a00_0002)

    static func run(_ bytes: [UInt8]) {
        guard var script = FuzzSegmentScript(bytes) else { return }
        let contract = FuzzContractConsumer()
        let table = FlowTable(consumers: [contract])  // framing has its own target; here it would dominate
        var frame = 0
        while let segment = script.next() {
            let clientPort: UInt16 = segment.secondClientPort ? 40_001 : 40_000
            let (sourcePort, destinationPort) =
                segment.side == 0 ? (clientPort, UInt16(80)) : (UInt16(80), clientPort)
            let header = TCPHeader(
                sourcePort: sourcePort, destinationPort: destinationPort, sequenceNumber: segment.sequence,
                acknowledgmentNumber: segment.acknowledgment, flags: segment.flags, window: segment.window,
                options: TCPOptions(maximumSegmentSize: segment.maximumSegmentSize))
            var packet = DecodedPacket(
                ipVersion: 4, source: segment.side == 0 ? clientAddress : serverAddress,
                destination: segment.side == 0 ? serverAddress : clientAddress, hopLimit: 64, transport: .tcp(header),
                payload: segment.payload, payloadLength: segment.length)
            packet.isSuperPacket = segment.isSuperPacket
            frame += 1
            let record = PacketRecord(
                timestamp: Timestamp(nanoseconds: 1_700_000_000_000_000_000 + Int64(frame) * 1000), linkType: .raw,
                originalLength: 0, data: ArraySlice(), frameNumber: frame)
            table.process(.packet(packet), record: record)
        }
        table.finish()
        contract.checkAllEnded()
    }
}
