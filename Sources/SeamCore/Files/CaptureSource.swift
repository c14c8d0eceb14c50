/// Where a capture or session file's bytes come from: a path (`-` for standard input), or bytes already in
/// memory. Every reading pipeline (`ReportBuilder`, `FlowListing`, `SessionReader`) takes one, so tests and
/// fuzzers feed bytes and the commands feed paths through the same code.
public enum CaptureSource: Sendable, Hashable {
    /// A file, or `-` for standard input (like `tcpdump -r -`).
    case path(String)
    /// Bytes in memory, named `name` in messages.
    case bytes([UInt8], name: String)

    /// The name messages use: the path as given, or the bytes' name.
    public var name: String {
        switch self {
        case .path(let path): return path
        case .bytes(_, let name): return name
        }
    }
}
