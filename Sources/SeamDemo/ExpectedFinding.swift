import SeamCore

/// A finding a lesson must produce: its kind, the layer where the boundary was first lost, and the cause.
public struct ExpectedFinding: Sendable, Hashable, CustomStringConvertible {
    public var kind: Finding.Kind
    public var layer: Layer
    public var cause: Finding.Cause

    public init(_ kind: Finding.Kind, at layer: Layer, cause: Finding.Cause) {
        self.kind = kind
        self.layer = layer
        self.cause = cause
    }

    /// Whether `finding` is this one.
    public func matches(_ finding: Finding) -> Bool {
        finding.kind == kind && finding.layer == layer && finding.cause == cause
    }

    public var description: String { "\(kind.rawValue) at \(layer.rawValue), cause \(cause.rawValue)" }
}
