/// `--as raw` (and `--raw`): the delivered bytes themselves, nothing around them, for a single direction;
/// holes are left out (`StreamTally` counts them, and the command says so on standard error).
public struct RawStreamView: StreamView {
    public init() {}

    public mutating func begin(_ flow: FollowedFlow, directions: FollowedDirections) -> [UInt8] { [] }

    public mutating func render(_ chunk: StreamChunk) -> [UInt8] {
        guard case .bytes(let bytes) = chunk.content else { return [] }
        return bytes
    }

    public mutating func end() -> [UInt8] { [] }
}
