/// How one proxy of a lesson is set up (`seam proxy`'s receiver emulation).
public struct ProxySetup: Sendable {
    public var udp = false
    public var recvSize: Int?
    public var recvDelayMilliseconds: Int?
    public var udpTruncate = false

    public init(udp: Bool = false, recvSize: Int? = nil, recvDelayMilliseconds: Int? = nil, udpTruncate: Bool = false) {
        self.udp = udp
        self.recvSize = recvSize
        self.recvDelayMilliseconds = recvDelayMilliseconds
        self.udpTruncate = udpTruncate
    }
}
