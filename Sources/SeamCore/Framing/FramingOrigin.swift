/// How a direction's framing was chosen, as a report says it.
public enum FramingOrigin: String, Hashable, Sendable {
    /// The user gave the spec (`--framing SPEC`, `--framing-c2s`, `--framing-s2c`, the session's settings).
    case given
    /// The user asked for detection (`--framing auto`): the best fit frames the bytes.
    case auto
    /// No framing was given and the sender's calls were not observed: detection found a clear fit. Its
    /// messages give observations only (no request/response pairing, so no `unanswered` verdict).
    case detected
}
