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
        case .head(let head): return head.text
        }
    }
}

/// A message's first `SummaryText.byteLimit` bytes, inline (no allocation), and whether it had more (so the
/// summary says that it was cut).
struct SummaryHead: Sendable {
    static let capacity = 32
    private var storage: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    /// Bytes kept; `capacity + 1` once a byte past them was seen.
    private var kept: UInt8 = 0

    var count: Int { Int(kept) }

    /// Bytes wanted before the head is as long as a summary needs (one past the shown bytes).
    var wanted: Int { SummaryText.byteLimit + 1 - count }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        let have = min(count, Self.capacity)
        let taken = min(bytes.count, Self.capacity - have)
        if taken > 0, let source = bytes.baseAddress {
            withUnsafeMutableBytes(of: &storage) { raw in
                (raw.baseAddress! + have).copyMemory(from: source, byteCount: taken)
            }
        }
        kept = UInt8(min(count + bytes.count, Self.capacity + 1))
    }

    /// The summary: the bytes escaped, with `…` when the message had more.
    var text: String {
        let shown = min(count, Self.capacity)
        let truncated = count > Self.capacity
        return withUnsafeBytes(of: storage) { raw in
            SummaryText.escaped(Array(raw.prefix(shown))[...], truncated: truncated)
        }
    }
}
