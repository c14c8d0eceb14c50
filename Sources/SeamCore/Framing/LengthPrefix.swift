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

/// The integer types a length field can have.
public enum LengthField: String, Hashable, Sendable, CaseIterable {
    case u8, u16be, u16le, u32be, u32le, i32be, i32le, u64be

    /// Field width in bytes.
    public var size: Int {
        switch self {
        case .u8: return 1
        case .u16be, .u16le: return 2
        case .u32be, .u32le, .i32be, .i32le: return 4
        case .u64be: return 8
        }
    }

    /// The field's value read from `bytes` (exactly `size` of them), as a signed 128-free value:
    /// unsigned fields are never negative; `u64be` values above `Int64.max` come back as `nil`.
    func value(of bytes: [UInt8]) -> Int64? {
        var cursor = ByteCursor(bytes)
        switch self {
        case .u8: return cursor.readUInt8().map { Int64($0) }
        case .u16be: return cursor.readUInt16().map { Int64($0) }
        case .u16le: return cursor.readUInt16LittleEndian().map { Int64($0) }
        case .u32be: return cursor.readUInt32().map { Int64($0) }
        case .u32le: return cursor.readUInt32LittleEndian().map { Int64($0) }
        case .i32be: return cursor.readUInt32().map { Int64(Int32(bitPattern: $0)) }
        case .i32le: return cursor.readUInt32LittleEndian().map { Int64(Int32(bitPattern: $0)) }
        case .u64be: return cursor.readUInt64().flatMap { Int64(exactly: $0) }
        }
    }
}
