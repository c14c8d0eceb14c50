/// One capture interface as a file describes it: the pcap file header, or a pcapng Interface Description
/// Block (IDB).
public struct CaptureInterface: Sendable, Hashable {
    /// How the interface's packets are framed.
    public var linkType: LinkType
    /// The largest number of bytes captured per packet (0: no limit).
    public var snapLength: Int
    /// `if_name`, when the IDB has one.
    public var name: String?
    /// `if_description`, when the IDB has one.
    public var description: String?
    /// Timestamp units per second as the file says it: `if_tsresol` (10^6 when absent; pcap: 10^6 or 10^9).
    public var timestampResolution: TimestampResolution
    /// `if_tsoffset`: seconds added to every timestamp of the interface (0 when absent).
    public var timestampOffsetSeconds: Int64
    /// 0-based index of the pcapng section the interface belongs to (always 0 for pcap).
    public var sectionIndex: Int
    /// Index of the interface within its section (what EPBs refer to).
    public var indexInSection: Int

    public init(
        linkType: LinkType, snapLength: Int, name: String? = nil, description: String? = nil,
        timestampResolution: TimestampResolution = .microseconds, timestampOffsetSeconds: Int64 = 0,
        sectionIndex: Int = 0, indexInSection: Int = 0
    ) {
        self.linkType = linkType
        self.snapLength = snapLength
        self.name = name
        self.description = description
        self.timestampResolution = timestampResolution
        self.timestampOffsetSeconds = timestampOffsetSeconds
        self.sectionIndex = sectionIndex
        self.indexInSection = indexInSection
    }
}
