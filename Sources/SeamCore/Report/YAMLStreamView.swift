/// `--as yaml`: tshark's `-z follow,tcp,yaml` document (Wireshark's YAML view) with Seam's axis facts added.
/// `peers` names Node 0 (the client) and Node 1 (the server); each entry of `packets` is one chunk: its frame
/// (`packet`), `peer`, `timestamp` (seconds since the epoch, 9 decimals) and `data` in base64 as tshark
/// writes them, plus `direction`, `offset` and `length`. A hole has `missing: N` instead of data, where
/// tshark puts its marker text in the data.
///
/// ```yaml
/// packets:
///   - packet: 4
///     peer: 0
///     direction: c2s
///     offset: 0
///     length: 5
///     timestamp: 1591780863.847322941
///     data: !!binary |
///       aGVsbG8=
/// ```
public struct YAMLStreamView: StreamView {
    public init() {}

    public mutating func begin(_ flow: FollowedFlow, directions: FollowedDirections) -> [UInt8] {
        var text = "# seam inspect: \(flow.id), \(directions == .both ? "both directions" : directions.name)"
        text += " (Wireshark: \(flow.wiresharkFilter))\npeers:\n"
        for (peer, endpoint) in [flow.client, flow.server].enumerated() {
            text += "  - peer: \(peer)\n    host: \(endpoint.address)\n    port: \(endpoint.port)\n"
            text += "    role: \(peer == 0 ? "client" : "server")\n"
        }
        return Array((text + "packets:\n").utf8)
    }

    public mutating func render(_ chunk: StreamChunk) -> [UInt8] {
        var text = ""
        var first = true
        func field(_ name: String, _ value: String) {
            text += (first ? "  - " : "    ") + name + ": " + value + "\n"
            first = false
        }
        if let frame = chunk.frame { field("packet", String(frame)) }
        field("peer", chunk.direction == .clientToServer ? "0" : "1")
        field("direction", chunk.direction.rawValue)
        if let datagram = chunk.datagram { field("datagram", String(datagram)) }
        field("offset", String(chunk.offset))
        field("length", String(chunk.length))
        field("timestamp", Self.epoch(chunk.time))
        switch chunk.content {
        case .missing(let length):
            field("missing", "\(length)  # \(StreamChunk.missingText(length))")
            return Array(text.utf8)
        case .bytes(let bytes):
            let encoded = Base64.encode(bytes)
            field("data", encoded.isEmpty ? "!!binary \"\"" : "!!binary |")
            var out = Array(text.utf8)
            var start = 0
            while start < encoded.count {
                out += Array("      ".utf8) + encoded[start..<min(start + 76, encoded.count)] + [0x0A]
                start += 76
            }
            return out
        }
    }

    public mutating func end() -> [UInt8] { [] }

    /// `1591780863.847322941`: seconds since the epoch with nanoseconds, as tshark writes `timestamp`.
    static func epoch(_ time: Timestamp) -> String {
        let fraction = String(time.subsecondNanoseconds)
        return "\(time.seconds).\(String(repeating: "0", count: 9 - fraction.count))\(fraction)"
    }
}
