/// `--as ascii`: each chunk's heading, then its bytes as text the way Follow's ASCII view shows them:
/// printable ASCII, CR and LF as they are, every other byte as `.`; a line break after each chunk.
public struct ASCIIStreamView: StreamView {
    private var directions = FollowedDirections.both
    private var tally = StreamTally()
    private var udp = false

    public init() {}

    public mutating func begin(_ flow: FollowedFlow, directions: FollowedDirections) -> [UInt8] {
        self.directions = directions
        udp = flow.id.proto == .udp
        return Array(StreamViewText.header(flow, directions: directions, format: "ascii").utf8)
    }

    public mutating func render(_ chunk: StreamChunk) -> [UInt8] {
        tally.add(chunk)
        var out = Array(StreamViewText.heading(chunk).utf8)
        guard case .bytes(let bytes) = chunk.content else { return out }
        out.reserveCapacity(out.count + bytes.count + 1)
        for byte in bytes { out.append(Self.shown(byte)) }
        out.append(0x0A)
        return out
    }

    public mutating func end() -> [UInt8] {
        Array(StreamViewText.footer(tally, directions: directions, udp: udp).utf8)
    }

    /// How the view shows one byte.
    public static func shown(_ byte: UInt8) -> UInt8 {
        byte == 0x0A || byte == 0x0D || StreamViewText.isPrintable(byte) ? byte : UInt8(ascii: ".")
    }
}
