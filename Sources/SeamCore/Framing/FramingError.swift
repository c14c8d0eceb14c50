/// A stream that breaks its framing's rules: where and why. The framer stops framing the stream after one.
public struct FramingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Offset on the direction's byte axis of the byte (or the message start) at fault.
    public var offset: UInt64
    /// What was expected and what was found.
    public var reason: String

    /// An error at `offset` of the direction's byte axis.
    public init(offset: UInt64, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    /// `framing error at byte N: reason`.
    public var description: String { "framing error at byte \(offset): \(reason)" }
}
