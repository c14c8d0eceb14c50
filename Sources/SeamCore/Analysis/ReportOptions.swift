/// What `seam report` was asked for.
public struct ReportOptions: Sendable {
    /// How to cut each direction's bytes into messages; nil: the send calls, or unknown.
    public var framing: FramingSpec?
    /// What-if: a reader doing `recv(N)` as soon as data arrives, where no reads were observed.
    public var recvSize: Int?

    public init(framing: FramingSpec? = nil, recvSize: Int? = nil) {
        self.framing = framing
        self.recvSize = recvSize
    }
}
