/// The parts the text views (ascii, hex) share: the banner and node lines of tshark's Follow output, each
/// chunk's heading (direction, range on the axis, frame, time), s2c indented by a tab as Follow does.
enum StreamViewText {
    static let rule = "==================================================================="

    static func header(_ flow: FollowedFlow, directions: FollowedDirections, format: String) -> String {
        let shown = directions == .both ? "both directions" : directions.name
        let guessed = flow.clientIsGuessed ? " (guessed: the capture has no SYN)" : ""
        return """
            \(rule)
            Follow: \(flow.id) \(format), \(shown) (Wireshark: \(flow.wiresharkFilter))
            Node 0: \(flow.client) (client, sends c2s)\(guessed)
            Node 1: \(flow.server) (server, sends s2c; its chunks are indented)

            """
    }

    /// `c2s [0, 58) 58 bytes, frame 4, 09:21:03.847322`, or for a hole
    /// `c2s [58, 1438) [1380 bytes missing in capture file]`; a tab first for s2c.
    static func heading(_ chunk: StreamChunk) -> String {
        var text = indent(chunk.direction) + chunk.direction.rawValue
        if let datagram = chunk.datagram { text += " datagram #\(datagram)" }
        text += " [\(chunk.offset), \(chunk.offset + chunk.length))"
        switch chunk.content {
        case .bytes(let bytes):
            text += " \(bytes.count) byte\(bytes.count == 1 ? "" : "s")"
            if let frame = chunk.frame { text += ", frame \(frame)" }
            text += ", " + chunk.time.timeOfDay
        case .missing(let length):
            text += " " + StreamChunk.missingText(length)
        }
        return text + "\n"
    }

    static func footer(_ tally: StreamTally, directions: FollowedDirections, udp: Bool) -> String {
        rule + "\n" + tally.line(directions, unit: udp ? "datagram" : "chunk") + "\n"
    }

    static func indent(_ direction: Direction) -> String { direction == .serverToClient ? "\t" : "" }

    /// Whether the hex dump's text column shows `byte` as itself (printable ASCII, space included).
    static func isPrintable(_ byte: UInt8) -> Bool { byte >= 0x20 && byte < 0x7f }
}
