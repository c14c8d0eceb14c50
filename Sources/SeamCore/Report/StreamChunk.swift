/// One piece of a followed flow as `seam inspect --stream` shows it (Wireshark's Follow Stream record): bytes
/// of one direction as they were delivered, or a hole the capture never held.
///
/// Offsets are on the direction's byte axis (DESIGN.md: offset 0 is the first payload byte after the SYN);
/// for UDP the axis is the direction's datagram payloads one after the other.
public struct StreamChunk: Hashable, Sendable {
    /// What the chunk holds.
    public enum Content: Hashable, Sendable {
        /// Bytes as they were delivered (TCP: reassembled, in order; UDP: one datagram's captured payload).
        case bytes([UInt8])
        /// Bytes the capture never held: Follow's "[N bytes missing in capture file]".
        case missing(UInt64)
    }

    public var direction: Direction
    /// Offset of the chunk's first byte on the direction's axis.
    public var offset: UInt64
    public var time: Timestamp
    /// The 1-based frame that carried the bytes, when known.
    public var frame: Int?
    /// For UDP, the datagram's index within its direction (0, 1, …).
    public var datagram: Int?
    public var content: Content

    public init(
        direction: Direction,
        offset: UInt64,
        time: Timestamp,
        frame: Int? = nil,
        datagram: Int? = nil,
        content: Content
    ) {
        self.direction = direction
        self.offset = offset
        self.time = time
        self.frame = frame
        self.datagram = datagram
        self.content = content
    }

    /// The number of axis bytes the chunk covers (held or missing).
    public var length: UInt64 {
        switch content {
        case .bytes(let bytes): return UInt64(bytes.count)
        case .missing(let length): return length
        }
    }

    /// Follow's words for a hole of `length` bytes.
    public static func missingText(_ length: UInt64) -> String { "[\(length) bytes missing in capture file]" }
}
