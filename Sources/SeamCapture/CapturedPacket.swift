import SeamCore

/// One packet copied out of libpcap's buffer: safe to keep and to hand to another thread.
public struct CapturedPacket: Sendable {
    /// When the kernel stamped the packet (CLOCK_REALTIME; nanoseconds, or microseconds × 1000 where the
    /// platform has no nanosecond stamps).
    public var timestamp: Timestamp
    /// The packet's length on the wire; more than `data.count` when the snap length cut it.
    public var originalLength: Int
    /// The captured bytes, starting with the link-layer header of the capture's `linkType`.
    public var data: [UInt8]

    /// A packet with the bytes given (already copied out of libpcap).
    public init(timestamp: Timestamp, originalLength: Int, data: [UInt8]) {
        self.timestamp = timestamp
        self.originalLength = originalLength
        self.data = data
    }

    /// The packet as a capture file record of `linkType` on interface `interfaceIndex`.
    public func record(linkType: LinkType, interfaceIndex: Int = 0) -> PacketRecord {
        PacketRecord(
            timestamp: timestamp,
            interfaceIndex: interfaceIndex,
            linkType: linkType,
            originalLength: originalLength,
            data: data[...]
        )
    }
}
