/// How a `LiveCapture` opens its interface. The defaults are what Seam needs to see every segment of a
/// loopback exchange as soon as the kernel has it.
public struct CaptureConfiguration: Sendable, Equatable {
    public static func == (a: CaptureConfiguration, b: CaptureConfiguration) -> Bool {
        (a.snapLength, a.bufferSize, a.immediateMode, a.promiscuous, a.pollTimeoutMilliseconds)
            == (b.snapLength, b.bufferSize, b.immediateMode, b.promiscuous, b.pollTimeoutMilliseconds)
            && (a.queueCapacity, a.queueByteCapacity, a.deliveryLingerMicroseconds)
            == (b.queueCapacity, b.queueByteCapacity, b.deliveryLingerMicroseconds)
    }

    /// Bytes kept of each packet (`pcap_set_snaplen`); 262144 keeps whole loopback segments (64 KiB + headers).
    public var snapLength: Int = 262_144
    /// Size of the kernel's capture buffer (`pcap_set_buffer_size`), 32 MiB: room for bursts at Gbit/s rates.
    public var bufferSize: Int = 32 << 20
    /// Whether each packet is handed over as soon as the kernel has it (`pcap_set_immediate_mode`). Off, the
    /// kernel fills blocks and wakes the capture once per block or `pollTimeoutMilliseconds`: far fewer
    /// wake-ups in the path of the traffic captured, for a consumer that holds packets anyway (`seam watch`).
    public var immediateMode: Bool = true
    /// Whether to put the interface in promiscuous mode (off: Seam captures its own traffic).
    public var promiscuous: Bool = false
    /// Longest time the capture thread sleeps in `poll` before it looks at the stop flag again, so `stop()`
    /// returns within about this long after the last packet.
    public var pollTimeoutMilliseconds: Int32 = 50
    /// Packets the hand-over queue holds before the capture thread waits for the consumer.
    public var queueCapacity: Int = 100_000
    /// Bytes the hand-over queue holds before the capture thread waits for the consumer (64 MiB).
    public var queueByteCapacity: Int = 64 << 20
    /// How long the delivery thread waits after a small batch before it takes the next one (1 ms), so packets
    /// reach the consumer in batches rather than one wake-up each. 0 delivers as soon as possible.
    public var deliveryLingerMicroseconds: UInt32 = 1_000

    /// Called on the capture thread after each read of libpcap's buffer with how far behind the capture is:
    /// now minus the kernel's stamp of the newest packet read (0 when nothing was pending). A producer of the
    /// traffic captured can pause on it before the kernel's ring overflows (`seam proxy`); `Int64.max` when the
    /// capture thread has to wait for its consumer (it reads nothing meanwhile). Not compared by `==`.
    public var onLag: (@Sendable (_ nanoseconds: Int64) -> Void)?

    /// The defaults above.
    public init() {}
}
