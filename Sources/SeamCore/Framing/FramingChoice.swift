/// What the user asked for one direction's framing: a spec, or `auto` (detect it, `FramingDetector`).
public enum FramingChoice: Hashable, Sendable, CustomStringConvertible {
    /// Detect the framing from the bytes (and the send calls, where recorded).
    case auto
    /// This framing.
    case spec(FramingSpec)

    /// Reads `auto` or a framing spec.
    /// - Throws: `FramingSpecError` naming the bad part of the spec.
    public init(parsing text: String) throws(FramingSpecError) {
        self = text == "auto" ? .auto : .spec(try FramingSpec(parsing: text))
    }

    /// The spec, `nil` for `auto`.
    public var spec: FramingSpec? {
        if case .spec(let spec) = self { return spec }
        return nil
    }

    /// `auto` or the spec's canonical text.
    public var description: String {
        switch self {
        case .auto: return "auto"
        case .spec(let spec): return spec.description
        }
    }
}
