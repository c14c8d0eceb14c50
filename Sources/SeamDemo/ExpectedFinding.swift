import SeamCore

/// A finding a lesson must produce: its kind, the layer where the boundary was first lost, and the cause.
public struct ExpectedFinding: Sendable, Hashable, CustomStringConvertible {
    public var kind: Observation.Kind
    public var layer: Layer
    public var cause: Observation.Cause

    public init(_ kind: Observation.Kind, at layer: Layer, cause: Observation.Cause) {
        self.kind = kind
        self.layer = layer
        self.cause = cause
    }

    /// Whether `finding` is this one.
    public func matches(_ finding: Observation) -> Bool {
        finding.kind == kind && finding.layer == layer && finding.cause == cause
    }

    public var description: String { "\(kind.rawValue) at \(layer.rawValue), cause \(cause.rawValue)" }
}
