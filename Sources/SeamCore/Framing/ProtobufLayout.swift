/// Frames varint-delimited protobuf messages (`protobuf`): what `writeDelimitedTo` / `parseDelimitedFrom`
/// (Java, C++ `SerializeDelimitedToOstream`, Go `protodelim`) write.
///
/// ```
///  +-----------------------+--------------------------------------------------+
///  | length: LEB128 varint | message: length bytes, starting with a field tag  |
///  | 1-10 bytes            | tag = field number << 3 | wire type (0 1 2 5)      |
///  +-----------------------+--------------------------------------------------+
/// ```
///
/// Checked: the varint fits 64 bits, the length is at most 64 MiB (protobuf's default limit), and a non-empty
/// message starts with a valid tag (field number at least 1, wire type 0, 1, 2 or 5; the deprecated groups
/// are not accepted), so bytes that are not protobuf fail within a message or two.
struct ProtobufLayout: FrameLayout {
    static let messageLimit: Int64 = 64 << 20

    var headLimit: Int { 11 }

    func head(in buffer: FramingBuffer, at offset: UInt64) throws(FramingError) -> FrameHead? {
        switch LengthField.varint.read(in: buffer, at: 0) {
        case .needMore: return nil
        case .invalid(let reason): throw FramingError(offset: offset, reason: reason)
        case .value(let length, let width):
            guard length <= Self.messageLimit else {
                throw FramingError(offset: offset, reason: "protobuf message length \(length) is over 64 MiB")
            }
            if length > 0 {
                guard let tag = buffer.byte(at: width) else { return nil }
                let wireType = tag & 0x07
                guard wireType != 3, wireType != 4, wireType < 6, tag & 0x80 != 0 || tag >> 3 != 0 else {
                    throw FramingError(
                        offset: offset + UInt64(width),
                        reason: "byte 0x\(String(tag, radix: 16)) is not a protobuf field tag"
                    )
                }
            }
            return FrameHead(length: UInt64(width) + UInt64(length))
        }
    }
}
