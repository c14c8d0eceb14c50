import SeamCore

/// Everything `seam proxy` was asked to do; the command fills it, `ProxyServer` runs it.
public struct ProxyConfiguration: Sendable {
    /// Which of the proxy's reads the receiver emulation (`--recv-size`, `--recv-delay`) applies to.
    public enum EmulatedSide: String, Sendable, CaseIterable {
        /// The proxy's reads from the client, as the server would read them (the default).
        case server
        /// The proxy's reads from the server, as the client would read them.
        case client
        /// Both.
        case both

        /// Whether reads on `leg` are emulated: the server side reads on the downstream leg.
        public func applies(to leg: Leg) -> Bool {
            switch self {
            case .server: return leg == .downstream
            case .client: return leg == .upstream
            case .both: return true
            }
        }
    }

    /// Where the proxy listens (loopback by default in the command).
    public var listen: Endpoint
    /// The server every accepted client is relayed to.
    public var upstream: Endpoint
    /// Relay UDP datagrams instead of TCP connections.
    public var udp = false
    /// Every emulated read asks for at most this many bytes (`recv(N)`); for UDP, what `recvfrom(N)` would keep.
    public var recvSize: Int?
    /// Each emulated read waits this many milliseconds first.
    public var recvDelayMilliseconds: Int?
    public var emulate: EmulatedSide = .server
    /// The session file (pcapng), if any.
    public var recordPath: String?
    /// Leave the bytes out of the session file (calls only).
    public var noPayload = false
    /// When the session writer falls behind, relay at full speed and count what is not recorded, instead of
    /// pausing the reads until it catches up (the lossless default).
    public var lossy = false
    /// Finish after this many connections (TCP) or UDP mappings have closed.
    public var connections: Int?
    /// Finish after this many seconds.
    public var durationSeconds: Double?
    /// Close a TCP connection when neither leg moved a byte for this many seconds (off by default).
    public var idleTimeoutSeconds: Double?
    /// Forget a UDP client mapping after this many idle seconds.
    public var udpTimeoutSeconds: Double = 60
    /// For UDP with `recvSize`: really cut each datagram to `recvSize` bytes.
    public var udpTruncate = false
    /// No live output.
    public var quiet = false
    /// Live output and summary as JSON lines.
    public var json = false
    /// How long open connections may go on after the proxy stopped accepting (shutdown, duration).
    public var drainSeconds: Double = 2
    /// What the proxy does to the writes on purpose (`--rechunk`): at most one rule per direction.
    public var rechunk: [RechunkRule] = []
    /// Milliseconds between the pieces of one cut write (`--rechunk-delay`).
    public var rechunkDelayMilliseconds: Int?
    /// The seed of `random:MIN-MAX` cuts (`--seed`).
    public var rechunkSeed: UInt64 = 1

    public init(listen: Endpoint, upstream: Endpoint) {
        self.listen = listen
        self.upstream = upstream
    }

    /// The receive size for reads on `leg`, or `nil` when that leg reads as much as it can.
    public func recvSize(on leg: Leg) -> Int? {
        emulate.applies(to: leg) ? recvSize : nil
    }

    /// The delay before each read on `leg`, in milliseconds, or `nil`.
    public func recvDelay(on leg: Leg) -> Int? {
        emulate.applies(to: leg) ? recvDelayMilliseconds : nil
    }

    /// The rechunk rule for the writes of `direction`, if any.
    public func rechunkRule(for direction: Direction) -> RechunkRule? {
        rechunk.first { $0.applies(to: direction) }
    }

    /// The settings as ordered `key=value` words, for the session file's section header comment.
    public var settingsWords: [(key: String, value: String)] {
        var words: [(key: String, value: String)] = [
            ("tool", "seam-proxy"), ("transport", udp ? "udp" : "tcp"),
            ("listen", listen.description), ("to", upstream.description),
        ]
        if let recvSize { words.append(("recv-size", String(recvSize))) }
        if let recvDelayMilliseconds { words.append(("recv-delay-ms", String(recvDelayMilliseconds))) }
        if recvSize != nil || recvDelayMilliseconds != nil { words.append(("emulate", emulate.rawValue)) }
        words.append(("payload", noPayload ? "no" : "yes"))
        words.append(("recording", lossy ? "lossy" : "lossless"))
        if udp {
            words.append(("udp-timeout", String(udpTimeoutSeconds)))
            if udpTruncate { words.append(("udp-truncate", "yes")) }
        }
        if let idleTimeoutSeconds { words.append(("idle-timeout", String(idleTimeoutSeconds))) }
        if !rechunk.isEmpty {
            words.append(("rechunk", rechunk.map(\.description).joined(separator: ",")))
            if let rechunkDelayMilliseconds { words.append(("rechunk-delay-ms", String(rechunkDelayMilliseconds))) }
            words.append(("seed", String(rechunkSeed)))
        }
        return words
    }
}
