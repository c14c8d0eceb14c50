/// The packet targets: link/IP/TCP/UDP decoding of arbitrary frames (`decoder`), and whole built TCP
/// conversations decoded and reassembled (`conversation`).
enum FuzzPackets {
    static let linkTypes: [LinkType] = [
        .ethernet, .raw, .linuxSLL, .linuxSLL2, .null, .loop, .ipv4, .ipv6, .rawBSD, .rawOpenBSD,
    ]

    /// Byte 0 picks the link type; then frames, each a 2-byte big-endian length and that many bytes.
    static func decode(_ bytes: [UInt8]) {
        guard let first = bytes.first else { return }
        let linkType = linkTypes[Int(first) % linkTypes.count]
        var decoder = PacketDecoder()
        let table = FlowTable(consumers: [FuzzStreamConsumer(spec: .http1)])
        var index = 1
        var frame = 0
        while index < bytes.count {
            var length = bytes.count - index
            if index + 2 <= bytes.count {
                length = min(Int(bytes[index]) << 8 | Int(bytes[index + 1]), bytes.count - index - 2)
                index += 2
            }
            frame += 1
            let data = bytes[index..<(index + length)]
            index += length
            let record = PacketRecord(
                timestamp: Timestamp(seconds: 1_700_000_000, nanoseconds: Int64(frame)), linkType: linkType,
                originalLength: data.count + Int(first >> 7) * 10, data: data, frameNumber: frame)
            table.process(decoder.decode(record), record: record)
        }
        table.finish()
    }

    /// The `conversation` target. A TCP conversation from the input: initial sequence numbers, then 6-byte
    /// operations (direction and flags, a signed offset move, a payload length and fill), so segments overlap,
    /// repeat, jump and wrap; built as frames, decoded, reassembled.
    static func conversation(_ bytes: [UInt8]) {
        guard bytes.count >= 8 else { return }
        func u32(_ at: Int) -> UInt32 {
            UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
        }
        let client = Endpoint(address: IPAddress("10.0.0.1")!, port: 40_000)
        let server = Endpoint(address: IPAddress("10.0.0.2")!, port: 80)
        var conversation = TCPConversationBuilder(
            client: client, server: server, link: .raw, clientInitialSequence: u32(0),
            serverInitialSequence: u32(4))
        var offsets = [0, 0]
        var index = 8
        while index + 6 <= bytes.count {
            let control = bytes[index]
            let direction: Direction = control & 1 == 0 ? .clientToServer : .serverToClient
            let move = Int(Int16(bitPattern: UInt16(bytes[index + 1]) << 8 | UInt16(bytes[index + 2])))
            let length = Int(bytes[index + 3]) >> Int(bytes[index + 4] & 0x07)  // 0 to 255 bytes, mostly few
            let fill = bytes[index + 5]
            index += 6
            let side = direction == .clientToServer ? 0 : 1
            offsets[side] += move
            var flags: TCPFlags = [.ack]
            if control & 0x02 != 0 { flags.insert(.syn) }
            if control & 0x04 != 0 { flags.insert(.fin) }
            if control & 0x08 != 0 { flags.insert(.rst) }
            if control & 0x10 != 0 { flags.insert(.psh) }
            if control & 0x20 != 0 { conversation.handshake() }
            let payload = [UInt8](repeating: fill, count: length)
            conversation.segment(from: direction, offset: offsets[side], payload, flags: flags)
            offsets[side] += length
        }
        var decoder = PacketDecoder()
        let table = FlowTable(consumers: [FuzzStreamConsumer(spec: .lengthPrefixed(LengthPrefix(field: .u8)))])
        for record in conversation.records {
            table.process(decoder.decode(record), record: record)
        }
        table.finish()
    }
}
