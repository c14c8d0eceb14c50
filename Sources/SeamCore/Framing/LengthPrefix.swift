/// Where a length-prefixed message keeps its length and what the length counts.
///
/// ```
///  message start
///  |<------------------ header ------------------>|
///  +---------------+-------------+----------------+---------------------------+
///  | offset bytes  | length      | after bytes    | body                      |
///  +---------------+-------------+----------------+---------------------------+
///                   field bytes (fixed, or 1-10 for varint, 1-4 for mqttvar, 1-19 for dec)
///  body bytes = length + adjustment                (includesHeader == false)
///  message bytes = length + adjustment             (includesHeader == true)
/// ```
///
/// Written `len:FIELD[@OFFSET][+ADJUST|-ADJUST][,after=N][,incl]`: e.g. MySQL's packets are `len:u24le,after=1`
/// (a 3-byte little-endian length, a sequence byte, then the payload), PostgreSQL's typed messages
/// `len:u32be@1+1,incl` (a type byte, then a length that counts itself and the body, not the type byte).
public struct LengthPrefix: Hashable, Sendable, CustomStringConvertible {
    /// The length field's width, signedness and byte order.
    public var field: LengthField
    /// Bytes before the length field; they belong to the header.
    public var offset: Int
    /// Header bytes after the length field (a type or sequence byte, flags); they belong to the header.
    public var after: Int
    /// Added to the field's value (may be negative).
    public var adjustment: Int
    /// Whether the (adjusted) length counts the whole message, header included, instead of the body only.
    public var includesHeader: Bool

    /// A length prefix; by default the field is at the message start and counts the body only.
    public init(field: LengthField, offset: Int = 0, after: Int = 0, adjustment: Int = 0, includesHeader: Bool = false)
    {
        self.field = field
        self.offset = offset
        self.after = after
        self.adjustment = adjustment
        self.includesHeader = includesHeader
    }

    /// Header bytes: the bytes before the field, the field itself and the bytes after it (for a variable-width
    /// field, with the field at its largest).
    public var headerSize: Int { offset + field.size + after }

    /// The header's size when the field took `width` bytes.
    func headerSize(fieldWidth width: Int) -> Int { offset + width + after }

    /// The canonical spec text, e.g. `len:u16be@2-2,incl`.
    public var description: String {
        var text = "len:" + field.rawValue
        if offset != 0 { text += "@\(offset)" }
        if adjustment > 0 { text += "+\(adjustment)" }
        if adjustment < 0 { text += "\(adjustment)" }
        if after != 0 { text += ",after=\(after)" }
        if includesHeader { text += ",incl" }
        return text
    }
}
