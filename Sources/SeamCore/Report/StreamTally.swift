/// What a followed flow's chunks added up to, per direction: the closing line of the text views, and what
/// `--as raw` reports about the holes it left out.
public struct StreamTally: Hashable, Sendable {
    public struct Counts: Hashable, Sendable {
        public var bytes: UInt64 = 0
        public var chunks = 0
        public var missingBytes: UInt64 = 0
        public var holes = 0
    }

    public private(set) var clientToServer = Counts()
    public private(set) var serverToClient = Counts()

    public init() {}

    public subscript(direction: Direction) -> Counts {
        direction == .clientToServer ? clientToServer : serverToClient
    }

    public mutating func add(_ chunk: StreamChunk) {
        var counts = self[chunk.direction]
        switch chunk.content {
        case .bytes(let bytes):
            counts.bytes += UInt64(bytes.count)
            counts.chunks += 1
        case .missing(let length):
            counts.missingBytes += length
            counts.holes += 1
        }
        if chunk.direction == .clientToServer { clientToServer = counts } else { serverToClient = counts }
    }

    /// `c2s: 58 bytes in 1 chunk; s2c: 226 bytes in 2 chunks, 1380 bytes missing in 1 hole`, for the
    /// directions shown.
    public func line(_ directions: FollowedDirections, unit: String = "chunk") -> String {
        Direction.allCases.filter { directions.contains($0) }.map { direction in
            let counts = self[direction]
            var text =
                "\(direction.rawValue): \(plural(counts.bytes, "byte")) in \(plural(UInt64(counts.chunks), unit))"
            if counts.holes > 0 {
                text += ", \(plural(counts.missingBytes, "byte")) missing in \(plural(UInt64(counts.holes), "hole"))"
            }
            return text
        }.joined(separator: "; ")
    }

    private func plural(_ count: UInt64, _ word: String) -> String { "\(count) \(word)\(count == 1 ? "" : "s")" }
}
