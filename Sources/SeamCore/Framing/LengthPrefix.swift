/// Where a length-prefixed message keeps its length and what the length counts.
///
/// ```
///  message start
///  |<-------- header --------->|
///  +---------------+-----------+---------------------------+
///  | offset bytes  | length    | body                      |
///  +---------------+-----------+---------------------------+
///                   field bytes
///  body bytes = length + adjustment                (includesHeader == false)
///  message bytes = length + adjustment             (includesHeader == true)
/// ```
public struct LengthPrefix: Hashable, Sendable, CustomStringConvertible {
    /// The length field's width, signedness and byte order.
    public var field: LengthField
    /// Bytes before the length field; they belong to the header.
    public var offset: Int
    /// Added to the field's value (may be negative).
    public var adjustment: Int
    /// Whether the (adjusted) length counts the whole message, header included, instead of the body only.
    public var includesHeader: Bool

    /// A length prefix; by default the field is at the message start and counts the body only.
    public init(field: LengthField, offset: Int = 0, adjustment: Int = 0, includesHeader: Bool = false) {
        self.field = field
        self.offset = offset
        self.adjustment = adjustment
        self.includesHeader = includesHeader
    }

    /// Header bytes: the bytes before the field and the field itself.
    public var headerSize: Int { offset + field.size }

    /// The canonical spec text, e.g. `len:u16be@2-2,incl`.
    public var description: String {
        var text = "len:" + field.rawValue
        if offset != 0 { text += "@\(offset)" }
        if adjustment > 0 { text += "+\(adjustment)" }
        if adjustment < 0 { text += "\(adjustment)" }
        if includesHeader { text += ",incl" }
        return text
    }
}
