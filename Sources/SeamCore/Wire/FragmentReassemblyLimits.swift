/// Bounds on IP fragment reassembly, with their defaults.
public struct FragmentReassemblyLimits: Hashable, Sendable {
    /// Largest reassembled datagram (fragmentable part, bytes). Default 65 535, the most IPv4 can express.
    public var maximumDatagramSize: Int
    /// Datagrams kept in progress at once; when full the oldest is dropped. Default 64.
    public var maximumDatagramsInProgress: Int
    /// Capture time after the first fragment when an incomplete datagram is dropped. Default 30 s (RFC 8200 §4.5
    /// uses 60 s, Linux's `ipfrag_time` 30 s).
    public var timeoutNanoseconds: Int64

    public init(
        maximumDatagramSize: Int = 65_535, maximumDatagramsInProgress: Int = 64,
        timeoutNanoseconds: Int64 = 30_000_000_000
    ) {
        self.maximumDatagramSize = maximumDatagramSize
        self.maximumDatagramsInProgress = maximumDatagramsInProgress
        self.timeoutNanoseconds = timeoutNanoseconds
    }
}
