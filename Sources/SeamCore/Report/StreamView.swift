/// A rendering of a followed flow, written as the chunks arrive (no chunk is kept): Wireshark's Follow
/// Stream "Show data as" views. Call order: `begin` once, `render` for each chunk in arrival order, `end`
/// once. Each returns the bytes to write.
public protocol StreamView {
    mutating func begin(_ flow: FollowedFlow, directions: FollowedDirections) -> [UInt8]
    mutating func render(_ chunk: StreamChunk) -> [UInt8]
    mutating func end() -> [UInt8]
}

/// The views of `seam inspect --stream ID --as FORMAT`, after tshark's `-z follow,tcp,FORMAT`.
public enum StreamViewFormat: String, CaseIterable, Sendable {
    /// The bytes themselves, unchanged (one direction only; holes are left out).
    case raw
    /// Text: printable ASCII, CR and LF as they are, every other byte as `.`.
    case ascii
    /// A hex dump, 16 bytes a line, each line headed by its offset on the direction's axis.
    case hex
    /// YAML after tshark's: the peers, then one entry per chunk with its bytes in base64.
    case yaml

    /// A new view of this format.
    public func makeView() -> any StreamView {
        switch self {
        case .raw: return RawStreamView()
        case .ascii: return ASCIIStreamView()
        case .hex: return HexStreamView()
        case .yaml: return YAMLStreamView()
        }
    }
}

extension StreamView {
    /// Renders a whole followed flow at once (tests and small flows).
    public mutating func rendered(
        _ flow: FollowedFlow,
        directions: FollowedDirections = .both,
        chunks: [StreamChunk]
    ) -> [UInt8] {
        var out = begin(flow, directions: directions)
        for chunk in chunks { out += render(chunk) }
        out += end()
        return out
    }
}
