/// `--as hex`: each chunk's heading, then a hex dump as Follow's Hex Dump view and tshark's
/// `-z follow,tcp,hex` write it: 16 bytes a line, the line's offset on the direction's axis in 8 (or more)
/// upper-case hex digits, two groups of 8 bytes, then the printable text (less one trailing space, as tshark); s2c lines
/// indented by a tab.
///
///     00000000  47 45 54 20 2f 20 48 54  54 50 2f 31 2e 31 0d 0a  GET / HT TP/1.1..
///
/// Offsets are the axis's, so after a hole they jump by its length (tshark counts its marker's text instead).
public struct HexStreamView: StreamView {
    private var directions = FollowedDirections.both
    private var tally = StreamTally()
    private var udp = false

    public init() {}

    public mutating func begin(_ flow: FollowedFlow, directions: FollowedDirections) -> [UInt8] {
        self.directions = directions
        udp = flow.id.proto == .udp
        return Array(StreamViewText.header(flow, directions: directions, format: "hex").utf8)
    }

    public mutating func render(_ chunk: StreamChunk) -> [UInt8] {
        tally.add(chunk)
        var out = Array(StreamViewText.heading(chunk).utf8)
        guard case .bytes(let bytes) = chunk.content else { return out }
        let indent = StreamViewText.indent(chunk.direction)
        var start = 0
        while start < bytes.count {
            let line = bytes[start..<min(start + 16, bytes.count)]
            out += Array(indent.utf8) + Self.line(line, offset: chunk.offset + UInt64(start))
            start += 16
        }
        return out
    }

    public mutating func end() -> [UInt8] {
        Array(StreamViewText.footer(tally, directions: directions, udp: udp).utf8)
    }

    private static let digits = Array("0123456789abcdef".utf8)

    /// One dump line of up to 16 bytes, with its line break.
    static func line(_ bytes: ArraySlice<UInt8>, offset: UInt64) -> [UInt8] {
        var out = Array(offsetText(offset).utf8) + Array("  ".utf8)
        for i in 0..<16 {
            if i == 8 { out.append(0x20) }
            if i < bytes.count {
                let byte = bytes[bytes.startIndex + i]
                out += [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)], 0x20]
            } else {
                out += [0x20, 0x20, 0x20]
            }
        }
        out.append(0x20)
        for (i, byte) in bytes.enumerated() {
            out.append(StreamViewText.isPrintable(byte) ? byte : UInt8(ascii: "."))
            if i == 7 { out.append(0x20) }
        }
        if out.last == 0x20 { out.removeLast() }  // as tshark: one trailing space goes
        out.append(0x0A)
        return out
    }

    /// The offset in upper-case hex, at least 8 digits.
    static func offsetText(_ offset: UInt64) -> String {
        let text = String(offset, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 8 - text.count)) + text
    }
}
