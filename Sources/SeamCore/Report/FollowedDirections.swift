/// Which directions of a flow `seam inspect --stream` follows: one (`c2s`, `s2c`) or `both`, interleaved in
/// the order the chunks arrived.
public enum FollowedDirections: Hashable, Sendable {
    case one(Direction)
    case both

    /// Parses `c2s`, `s2c` or `both`; `nil` otherwise.
    public init?(_ text: String) {
        if text == "both" {
            self = .both
        } else if let direction = Direction(rawValue: text) {
            self = .one(direction)
        } else {
            return nil
        }
    }

    public func contains(_ direction: Direction) -> Bool {
        switch self {
        case .both: return true
        case .one(let only): return only == direction
        }
    }

    /// `c2s`, `s2c` or `both`.
    public var name: String {
        switch self {
        case .both: return "both"
        case .one(let direction): return direction.rawValue
        }
    }
}
