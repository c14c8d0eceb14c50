/// A message's summary as `FramedMessage` and `MessageRange` keep it: no summary, words a decoder made, or the
/// message's first bytes, kept inline and escaped (`SummaryText.escaped`) only when a report reads them.
///
/// A line framing over binary bulk data cuts a message every 256 bytes or so; escaping each one's first bytes
/// into a String cost a third of `seam report --framing line` and two allocations per message, for summaries
/// the report shows of a few messages at most.
enum MessageSummary: Sendable {
    case none
    case text(String)
    case head(SummaryHead)

    init(_ text: String?) {
        self = text.map { .text($0) } ?? .none
    }

    /// The summary as the report shows it.
    var text: String? {
        switch self {
        case .none: return nil
        case .text(let text): return text
        case .head(let head): return head.withBytes { SummaryText.escaped($0[...]) }
        }
    }
}

/// Up to `capacity` first bytes of a message, inline (no allocation): one more than `SummaryText.byteLimit`, so
/// the summary knows that it was cut.
struct SummaryHead: Sendable {
    static let capacity = 40
    private var storage: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)
    private(set) var count = 0

    /// Bytes wanted before the head is as long as a summary needs.
    var wanted: Int { SummaryText.byteLimit + 1 - count }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        let taken = min(bytes.count, Self.capacity - count)
        guard taken > 0, let source = bytes.baseAddress else { return }
        let at = count
        withUnsafeMutableBytes(of: &storage) { raw in
            (raw.baseAddress! + at).copyMemory(from: source, byteCount: taken)
        }
        count += taken
    }

    func withBytes<R>(_ body: ([UInt8]) -> R) -> R {
        let count = self.count
        return withUnsafeBytes(of: storage) { raw in body(Array(raw.prefix(count))) }
    }
}
