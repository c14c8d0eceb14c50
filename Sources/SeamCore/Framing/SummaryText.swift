/// Short, escaped renderings of message bytes for `FramedMessage.summary`.
enum SummaryText {
    /// Bytes kept for a summary at most.
    static let byteLimit = 32

    /// `bytes` as text with `\n \r \t \0 \\ \xHH` escapes, cut at `limit` bytes with `…` when `truncated`.
    static func escaped(_ bytes: ArraySlice<UInt8>, limit: Int = byteLimit, truncated: Bool = false) -> String {
        var text = FramingSpec.escape(bytes.prefix(limit))
        if truncated || bytes.count > limit { text += "…" }
        return text
    }

    /// `escaped(_:limit:truncated:)` for a whole array.
    static func escaped(_ bytes: [UInt8], limit: Int = byteLimit, truncated: Bool = false) -> String {
        escaped(bytes[...], limit: limit, truncated: truncated)
    }
}
