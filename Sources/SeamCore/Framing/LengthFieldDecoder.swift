/// Frames length-prefixed messages (`len:…`, `struct:i`): a `FrameDecoder` over a `LengthPrefixLayout`.
///
/// ```
///  |<------------------------ header ------------------------>|
///  +------------------+-----------------+---------------------+---------------------------------+
///  | offset bytes     | length field    | after bytes         | body: length + adjustment bytes |
///  +------------------+-----------------+---------------------+---------------------------------+
///  (with `incl`, length + adjustment counts the whole message, header included)
/// ```
///
/// States (of the `FrameDecoder`): `waitingForHead` (keeps at most the header's bytes) and
/// `readingFrame(start:remaining:)` (skips the body by count, keeping nothing). A gap inside a body keeps sync
/// (the message is reported incomplete); a gap anywhere else loses it, since the next header cannot be found.
typealias LengthFieldDecoder = FrameDecoder<LengthPrefixLayout>

extension FrameDecoder where Layout == LengthPrefixLayout {
    init(prefix: LengthPrefix) {
        self.init(layout: LengthPrefixLayout(prefix: prefix))
    }
}

/// Reads the header of a `len:` message and computes the whole message's length.
struct LengthPrefixLayout: FrameLayout {
    let prefix: LengthPrefix

    var headLimit: Int { prefix.headerSize }

    func head(in buffer: FramingBuffer, at start: UInt64) throws(FramingError) -> FrameHead? {
        guard prefix.offset >= 0, prefix.after >= 0 else {
            throw FramingError(offset: start, reason: "length field offset \(prefix.offset) is negative")
        }
        switch prefix.field.read(in: buffer, at: prefix.offset) {
        case .needMore:
            return nil
        case .invalid(let reason):
            throw FramingError(offset: start, reason: reason)
        case .value(let value, let width):
            let headerSize = prefix.headerSize(fieldWidth: width)
            guard buffer.readableBytes >= headerSize else { return nil }
            return FrameHead(length: try messageLength(value, headerSize: headerSize, at: start))
        }
    }

    /// The whole message's length (header included) from the length field's value.
    private func messageLength(_ value: Int64, headerSize: Int, at start: UInt64) throws(FramingError) -> UInt64 {
        let header = Int64(headerSize)
        let (adjusted, overflow) = value.addingReportingOverflow(Int64(prefix.adjustment))
        guard !overflow, adjusted < Int64.max - header else {
            throw FramingError(offset: start, reason: "length \(value) is too large")
        }
        if prefix.includesHeader {
            guard adjusted >= header else {
                throw FramingError(
                    offset: start,
                    reason: "length \(value) (adjusted \(adjusted)) is smaller than the \(headerSize)-byte header"
                )
            }
            return UInt64(adjusted)
        }
        guard adjusted >= 0 else {
            throw FramingError(offset: start, reason: "length \(value) adjusted by \(prefix.adjustment) is negative")
        }
        return UInt64(adjusted + header)
    }
}
