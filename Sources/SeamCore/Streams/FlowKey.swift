/// A flow's identity independent of direction: the two endpoints in a fixed order and the protocol.
struct FlowKey: Hashable, Sendable {
    var low: Endpoint
    var high: Endpoint
    var proto: Transport

    init(_ a: Endpoint, _ b: Endpoint, proto: Transport) {
        if a < b {
            (low, high) = (a, b)
        } else {
            (low, high) = (b, a)
        }
        self.proto = proto
    }
}

/// A flow's id as Wireshark numbers them: `tcp.3` is `tcp.stream eq 3`, `udp.0` is `udp.stream eq 0`.
public struct FlowID: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public var proto: Transport
    public var index: Int

    public init(proto: Transport, index: Int) {
        self.proto = proto
        self.index = index
    }

    /// Parses `tcp.3` / `udp.0`.
    public init?(_ text: String) {
        let parts = text.split(separator: ".")
        guard parts.count == 2, let proto = Transport(rawValue: String(parts[0])), let index = Int(parts[1]),
            index >= 0
        else { return nil }
        self.init(proto: proto, index: index)
    }

    public var description: String { "\(proto.rawValue).\(index)" }

    public static func < (lhs: FlowID, rhs: FlowID) -> Bool {
        (lhs.proto == rhs.proto) ? lhs.index < rhs.index : lhs.proto == .tcp
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = FlowID(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "flow id \(text)"))
        }
        self = id
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
