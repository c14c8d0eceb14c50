/// What happened to fragments so far.
public struct FragmentStatistics: Hashable, Sendable {
    /// Datagrams delivered whole.
    public var reassembled = 0
    /// Incomplete datagrams dropped after the timeout.
    public var timedOut = 0
    /// Incomplete datagrams dropped because too many were in progress.
    public var evicted = 0
    /// Datagrams dropped because a fragment contradicted the others or exceeded the size bound.
    public var rejected = 0
    public init() {}
}
