import SeamCore

/// One `--rechunk [DIR=]KIND[:ARGS]` rule of `seam proxy`: what the proxy does on purpose to the writes of a
/// direction, so a program meets chunkings that loopback never produces.
///
/// ```
/// c2s=split:7        every write to the server in pieces of at most 7 bytes
/// s2c=random:1-64    pieces of 1 to 64 bytes, drawn from --seed (the same seed gives the same cuts)
/// coalesce:100       both directions: hold writes up to 100 ms and write them as one
/// ```
///
/// For UDP only `split:N` applies: each datagram is sent as datagrams of at most N bytes, which tests a
/// receiver's handling of short datagrams (it breaks a datagram boundary on purpose).
public struct RechunkRule: Hashable, Sendable, CustomStringConvertible {
    /// What the rule does to a write.
    public enum Kind: Hashable, Sendable {
        /// Pieces of at most `size` bytes.
        case split(size: Int)
        /// Pieces of `minimum...maximum` bytes, drawn from the seed.
        case random(minimum: Int, maximum: Int)
        /// Writes held up to `milliseconds`, then written as one.
        case coalesce(milliseconds: Int)
    }

    /// The direction whose writes the rule changes; `nil`: both.
    public var direction: Direction?
    public var kind: Kind

    public init(direction: Direction?, kind: Kind) {
        self.direction = direction
        self.kind = kind
    }

    /// Parses `[c2s=|s2c=]split:N | random:MIN-MAX | coalesce:MS`.
    public init(parsing text: String) throws(RechunkRuleError) {
        var rest = Substring(text)
        if let equals = rest.firstIndex(of: "=") {
            switch rest[..<equals] {
            case "c2s": direction = .clientToServer
            case "s2c": direction = .serverToClient
            default:
                throw RechunkRuleError(text: text, reason: "direction '\(rest[..<equals])' is not c2s or s2c")
            }
            rest = rest[rest.index(after: equals)...]
        } else {
            direction = nil
        }
        let parts = rest.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let argument = parts.count > 1 ? String(parts[1]) : ""
        func number(_ word: Substring, _ what: String) throws(RechunkRuleError) -> Int {
            guard let value = Int(word), value >= 1 else {
                throw RechunkRuleError(text: text, reason: "\(what) '\(word)' is not a whole number of at least 1")
            }
            return value
        }
        switch parts[0] {
        case "split":
            kind = .split(size: try number(Substring(argument), "piece size"))
        case "random":
            let bounds = argument.split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count == 2 else {
                throw RechunkRuleError(text: text, reason: "random needs MIN-MAX, e.g. random:1-16")
            }
            let minimum = try number(bounds[0], "minimum")
            let maximum = try number(bounds[1], "maximum")
            guard minimum <= maximum else {
                throw RechunkRuleError(text: text, reason: "minimum \(minimum) is more than maximum \(maximum)")
            }
            kind = .random(minimum: minimum, maximum: maximum)
        case "coalesce":
            kind = .coalesce(milliseconds: try number(Substring(argument), "hold time (ms)"))
        default:
            throw RechunkRuleError(text: text, reason: "'\(parts[0])' is not split, random or coalesce")
        }
    }

    /// Whether the rule changes writes of `direction`.
    public func applies(to direction: Direction) -> Bool { self.direction == nil || self.direction == direction }

    /// The rule as `--rechunk` takes it.
    public var description: String {
        let prefix = direction.map { $0 == .clientToServer ? "c2s=" : "s2c=" } ?? ""
        switch kind {
        case .split(let size): return "\(prefix)split:\(size)"
        case .random(let minimum, let maximum): return "\(prefix)random:\(minimum)-\(maximum)"
        case .coalesce(let milliseconds): return "\(prefix)coalesce:\(milliseconds)"
        }
    }
}

/// A `--rechunk` rule that does not parse: names the rule and the bad part.
public struct RechunkRuleError: Error, Hashable, Sendable, CustomStringConvertible {
    public var text: String
    public var reason: String
    public var description: String { "--rechunk '\(text)': \(reason)" }
}
