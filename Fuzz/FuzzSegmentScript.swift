/// The input format of the `reassembler` and `flows` targets: a conversation of TCP segments, decoded straight
/// into sequence numbers, flags and payload slices (nothing is built, checksummed or parsed).
///
/// 8 bytes of initial sequence numbers (client, server, big-endian), then 8-byte operations:
///
/// ```
/// byte 0  bit 0 direction (0 c2s, 1 s2c)  bit 1 SYN  bit 2 FIN  bit 3 RST  bit 4 ACK  bit 5 PSH
///         bit 6 super-packet (BIG TCP form)  bit 7 snaplen cut (half the payload captured)
/// 1…2     signed move of the direction's position (big-endian), before the segment
/// 3       payload length, shifted left by byte 4 bits 0…1 (0 to 1020 bytes: more than a small MSS, little
///         enough that copying payload does not dominate); byte 4 bit 2 is unused
/// 4       bits 3…4: acknowledgment 0 none, 1 the peer's position, 2 position plus byte 6 (signed), 3 byte 6
///         × 97 from the peer's initial sequence number; bit 5 the second client port (another flow); bit 6 a
///         new initial sequence number for a SYN (port reuse, or a SYN-ACK that rebases); bit 7 an MSS option
///         on a SYN (byte 7 × 8)
/// 5       where in the payload pool the bytes come from (same byte, same content)
/// 6       acknowledgment delta
/// 7       window (× 256; 0 is a zero window), or the MSS on a SYN
/// ```
///
/// Payload bytes are slices of one pool filled once, so retransmissions can repeat or contradict earlier bytes.
struct FuzzSegmentScript {
    /// One decoded operation.
    struct Segment {
        /// 0 client to server, 1 server to client.
        var side: Int
        var flags: TCPFlags
        /// The segment's sequence number as sent (a SYN's is its own, one before its first payload byte).
        var sequence: UInt32
        var acknowledgment: UInt32
        var payload: ArraySlice<UInt8>
        /// The length the headers claim (`payload` may be shorter: the snaplen cut).
        var length: Int
        var isSuperPacket: Bool
        var maximumSegmentSize: UInt16?
        var window: UInt16
        var secondClientPort: Bool
    }

    static let pool: [UInt8] = {
        var state: UInt64 = 0x9e37_79b9_7f4a_7c15
        return (0..<(64 * 1024)).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
    }()

    private let bytes: [UInt8]
    private var index = 8
    private var initial: (UInt32, UInt32)
    /// Per direction: offset of the next byte from the initial sequence number + 1.
    private var positions = (0, 0)

    init?(_ bytes: [UInt8]) {
        guard bytes.count >= 8 else { return nil }
        self.bytes = bytes
        initial = (Self.u32(bytes, 0), Self.u32(bytes, 4))
    }

    /// The first 8 bytes, for targets that take a setting from them.
    var header: ArraySlice<UInt8> { bytes[0..<8] }

    private static func u32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
    }

    mutating func next() -> Segment? {
        guard index + 8 <= bytes.count else { return nil }
        let control = bytes[index]
        let extra = bytes[index + 4]
        let side = Int(control & 1)
        let move = Int(Int16(bitPattern: UInt16(bytes[index + 1]) << 8 | UInt16(bytes[index + 2])))
        let length = Int(bytes[index + 3]) << Int(extra & 0x03)
        let poolStart = Int(bytes[index + 5]) * 251
        let delta = Int(Int8(bitPattern: bytes[index + 6]))
        let last = bytes[index + 7]
        index += 8

        // Control bits 1…5 are SYN FIN RST ACK PSH; TCP's own bits are FIN SYN RST PSH ACK (0x01…0x10).
        let flags = TCPFlags(
            rawValue: UInt16(control >> 2 & 0x01) | UInt16(control & 0x02) | UInt16(control & 0x08) >> 1
                | UInt16(control & 0x20) >> 2 | UInt16(control & 0x10))
        var mine = side == 0 ? initial.0 : initial.1
        var position = (side == 0 ? positions.0 : positions.1) + move
        if flags.contains(.syn) && extra & 0x40 != 0 {
            mine = mine &+ 0x1000_0000 &+ UInt32(poolStart)
            position = 0
            if side == 0 { initial.0 = mine } else { initial.1 = mine }
        }
        let sequence = mine &+ (flags.contains(.syn) ? 0 : 1) &+ UInt32(truncatingIfNeeded: position)
        let peerInitial = side == 0 ? initial.1 : initial.0
        let peerPosition = side == 0 ? positions.1 : positions.0
        let acknowledgment: UInt32
        switch (extra >> 3) & 0x03 {
        case 1: acknowledgment = peerInitial &+ 1 &+ UInt32(truncatingIfNeeded: peerPosition)
        case 2: acknowledgment = peerInitial &+ 1 &+ UInt32(truncatingIfNeeded: peerPosition + delta)
        case 3: acknowledgment = peerInitial &+ UInt32(truncatingIfNeeded: delta * 97)
        default: acknowledgment = 0
        }
        let start = min(poolStart, Self.pool.count)
        let captured = control & 0x80 != 0 ? length / 2 : length
        position += length
        if side == 0 { positions.0 = position } else { positions.1 = position }
        return Segment(
            side: side, flags: flags, sequence: sequence, acknowledgment: acknowledgment,
            payload: Self.pool[start..<min(start + captured, Self.pool.count)], length: length,
            isSuperPacket: control & 0x40 != 0,
            maximumSegmentSize: flags.contains(.syn) && extra & 0x80 != 0 ? UInt16(last) * 8 : nil,
            window: flags.contains(.syn) ? 65_535 : UInt16(last) << 8, secondClientPort: extra & 0x20 != 0)
    }
}
