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

    /// The field's value read from `bytes` (exactly `size` of them):
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
