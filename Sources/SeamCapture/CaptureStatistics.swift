/// What libpcap and Seam counted over one capture (`pcap_stats` at the end, after the drain).
///
/// libpcap's counters are 32-bit on most platforms and wrap; Seam reports them as libpcap gives them.
public struct CaptureStatistics: Equatable, Sendable, CustomStringConvertible {
    /// `ps_recv`: packets that passed the kernel's filter, what tcpdump calls "received by filter". On Linux's
    /// loopback the kernel counts each packet twice (its outgoing and incoming copy; libpcap keeps one).
    public var received: UInt64
    /// `ps_drop`: packets dropped because the capture buffer was full (Seam did not read fast enough).
    public var dropped: UInt64
    /// `ps_ifdrop`: packets the interface or its driver dropped (not always supported; then 0).
    public var interfaceDropped: UInt64
    /// Packets Seam copied out of libpcap and handed to the consumer.
    public var delivered: UInt64

    /// When the kernel's drops began, if they did: seconds after the capture started and the rate the capture
    /// was taking in (captured bytes, in bits per second) over the ~100 ms before the first drop was seen.
    public var dropsBegan: (afterSeconds: Double, bitsPerSecond: Double)?

    /// Statistics with the counts given.
    public init(
        received: UInt64, dropped: UInt64, interfaceDropped: UInt64, delivered: UInt64,
        dropsBegan: (afterSeconds: Double, bitsPerSecond: Double)? = nil
    ) {
        self.received = received
        self.dropped = dropped
        self.interfaceDropped = interfaceDropped
        self.delivered = delivered
        self.dropsBegan = dropsBegan
    }

    public static func == (a: CaptureStatistics, b: CaptureStatistics) -> Bool {
        (a.received, a.dropped, a.interfaceDropped, a.delivered) == (b.received, b.dropped, b.interfaceDropped, b.delivered)
            && a.dropsBegan?.afterSeconds == b.dropsBegan?.afterSeconds
            && a.dropsBegan?.bitsPerSecond == b.dropsBegan?.bitsPerSecond
    }

    /// All drops, kernel and interface: what a pcapng ISB's `isb_ifdrop` and the reports show.
    public var totalDropped: UInt64 { dropped &+ interfaceDropped }

    /// `40 received by filter, 0 dropped by kernel, 0 dropped by interface` (tcpdump's words).
    public var description: String {
        "\(received) received by filter, \(dropped) dropped by kernel, \(interfaceDropped) dropped by interface"
    }
}
