/// The decoder of the specs whose messages do not come from the bytes (`sends`, `segments`, `none`): it
/// consumes every byte and frames nothing, so a `MessageFramer` given such a spec stays bounded and finds no
/// messages. The analysis takes the send or segment ranges instead.
///
/// ```
///  +------------------------------------------------------------+
///  | bytes (consumed, no message)                               |
///  +------------------------------------------------------------+
/// ```
///
/// One state; a gap never loses sync.
struct NoMessageDecoder: MessageDecoder {
    mutating func decode(_ buffer: inout FramingBuffer) throws(FramingError) -> FramedMessage? {
        buffer.consumeAll()
        return nil
    }

    mutating func skipGap(_ buffer: inout FramingBuffer, length: UInt64, into messages: inout [FramedMessage]) -> Bool {
        true
    }
}
