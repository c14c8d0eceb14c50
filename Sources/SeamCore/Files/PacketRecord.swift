/// One packet as a capture file holds it: the captured bytes and what the file says about them.
///
/// `data` is a slice of the reader's buffer. It stays valid forever (it is a value), but a consumer that
/// keeps it past the reader's next `next()` makes the reader copy its buffer; copy the bytes you keep.
public struct PacketRecord: Sendable {
    /// When the packet was captured (the interface's resolution and offset already applied).
    public var timestamp: Timestamp
    /// Index of the interface in its section (always 0 for pcap).
    public var interfaceIndex: Int
    /// The interface's link type, which says how to decode `data`.
    public var linkType: LinkType
    /// The packet's length on the wire; more than `data.count` when the snaplen cut it.
    public var originalLength: Int
    /// The captured bytes.
    public var data: ArraySlice<UInt8>
    /// `opt_comment` values of the packet (pcapng EPB/PB options), in file order.
    public var comments: [String]
    /// Byte offset of the record (pcap record header or pcapng block) in the file.
    public var fileOffset: Int
    /// 1-based frame number, as Wireshark counts them.
    public var frameNumber: Int

    public init(
        timestamp: Timestamp, interfaceIndex: Int = 0, linkType: LinkType, originalLength: Int,
        data: ArraySlice<UInt8>, comments: [String] = [], fileOffset: Int = 0, frameNumber: Int = 0
    ) {
        self.timestamp = timestamp
        self.interfaceIndex = interfaceIndex
        self.linkType = linkType
        self.originalLength = originalLength
        self.data = data
        self.comments = comments
        self.fileOffset = fileOffset
        self.frameNumber = frameNumber
    }

    /// Whether the snaplen cut the packet.
    public var isTruncated: Bool { data.count < originalLength }
}
