/// The container format of a capture file.
public enum CaptureFormat: String, Sendable, Hashable, CaseIterable {
    /// Classic libpcap format: one file header, then records (either byte order, µs or ns).
    case pcap
    /// pcapng: blocks, several sections and interfaces, options such as comments.
    case pcapng
}
