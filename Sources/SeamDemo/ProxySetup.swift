import SeamProxy

/// How one proxy of a lesson is set up (`seam proxy`'s receiver emulation).
public struct ProxySetup: Sendable {
    public var udp = false
    public var recvSize: Int?
    public var recvDelayMilliseconds: Int?
    /// Whose reads the emulation plays: the server's (the proxy's reads from the client, the default) or the
    /// client's (its reads from the server: a slow link towards the client).
    public var emulate: ProxyConfiguration.EmulatedSide
    public var udpTruncate = false

    public init(
        udp: Bool = false,
        recvSize: Int? = nil,
        recvDelayMilliseconds: Int? = nil,
        emulate: ProxyConfiguration.EmulatedSide = .server,
        udpTruncate: Bool = false
    ) {
        self.udp = udp
        self.recvSize = recvSize
        self.recvDelayMilliseconds = recvDelayMilliseconds
        self.emulate = emulate
        self.udpTruncate = udpTruncate
    }

    /// A slow link towards the client: the proxy passes the server's bytes on `size` at a time, `milliseconds`
    /// apart, so a client's read returns what has arrived so far.
    public static func slowLinkToClient(size: Int = 1_024, milliseconds: Int = 20) -> ProxySetup {
        ProxySetup(recvSize: size, recvDelayMilliseconds: milliseconds, emulate: .client)
    }

    /// A slow link towards the server: the proxy passes the client's bytes on `size` at a time.
    public static func slowLinkToServer(size: Int = 1_024, milliseconds: Int = 20) -> ProxySetup {
        ProxySetup(recvSize: size, recvDelayMilliseconds: milliseconds, emulate: .server)
    }
}
