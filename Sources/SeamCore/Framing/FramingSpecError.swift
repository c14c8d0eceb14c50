/// A framing spec that does not parse; the description names the spec and its bad part, e.g.
/// `framing "fixed:0": size must be at least 1`.
public struct FramingSpecError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The spec text as given.
    public var spec: String
    /// What is wrong with it.
    public var reason: String

    /// An error about the spec text `spec`.
    public init(spec: String, reason: String) {
        self.spec = spec
        self.reason = reason
    }

    /// `framing "SPEC": reason`.
    public var description: String { "framing \"\(spec)\": \(reason)" }
}
