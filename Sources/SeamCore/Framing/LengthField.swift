/// The encodings a length field can have: fixed-width integers of 1, 2, 3, 4 or 8 bytes in either byte order,
/// and three variable-width forms.
///
/// | field | bytes | encoding |
/// | --- | --- | --- |
/// | `u8` | 1 | unsigned |
/// | `u16be` `u16le` | 2 | unsigned, big- or little-endian |
/// | `u24be` `u24le` | 3 | unsigned (HTTP/2 frames: `u24be`; MySQL packets: `u24le`) |
/// | `u32be` `u32le` `i32be` `i32le` | 4 | unsigned or two's complement (negative values are errors) |
/// | `u64be` `u64le` | 8 | unsigned; values above 2^63 - 1 are errors |
/// | `varint` | 1–10 | LEB128 as protobuf writes it: 7 bits per byte, least significant first, high bit = more |
/// | `mqttvar` | 1–4 | MQTT's Remaining Length: LEB128 of at most 4 bytes (at most 268 435 455) |
/// | `dec` | 1–18 | ASCII decimal digits, ended by the first byte that is not a digit (which is not part of the field) |
public enum LengthField: String, Hashable, Sendable, CaseIterable {
    case u8, u16be, u16le, u24be, u24le, u32be, u32le, i32be, i32le, u64be, u64le, varint, mqttvar, dec

    /// Field width in bytes for the fixed-width fields; the largest width for the variable ones.
    public var size: Int {
        switch self {
        case .u8: return 1
        case .u16be, .u16le: return 2
        case .u24be, .u24le: return 3
        case .u32be, .u32le, .i32be, .i32le: return 4
        case .u64be, .u64le: return 8
        case .varint: return 10
        case .mqttvar: return 4
        case .dec: return 18
        }
    }

    /// Whether the width depends on the value (`varint`, `mqttvar`, `dec`).
    public var isVariableWidth: Bool {
        switch self {
        case .varint, .mqttvar, .dec: return true
        default: return false
        }
    }

    /// What reading a field gave: its value and how many bytes it took.
    enum Reading: Hashable {
        case value(Int64, width: Int)
        /// More bytes are needed to know.
        case needMore
        /// The bytes cannot be this field; the reason says why.
        case invalid(String)
    }

    /// Reads the field at `index` of `buffer` (relative to its reader), without consuming anything.
    func read(in buffer: FramingBuffer, at index: Int) -> Reading {
        switch self {
        case .varint, .mqttvar: return readVarint(in: buffer, at: index, limit: size)
        case .dec: return readDecimal(in: buffer, at: index)
        default:
            guard buffer.readableBytes - index >= size else { return .needMore }
            var raw: UInt64 = 0
            for position in 0..<size {
                let byte = UInt64(buffer.byte(at: index + position) ?? 0)
                raw |= isLittleEndian ? byte << (8 * UInt64(position)) : byte << (8 * UInt64(size - 1 - position))
            }
            switch self {
            case .i32be, .i32le:
                let value = Int64(Int32(bitPattern: UInt32(truncatingIfNeeded: raw)))
                return value < 0
                    ? .invalid("negative length \(value) in the \(rawValue) field") : .value(value, width: 4)
            default:
                guard let value = Int64(exactly: raw) else {
                    return .invalid("\(rawValue) length field value \(raw) is too large")
                }
                return .value(value, width: size)
            }
        }
    }

    /// The field's value read from `bytes` (exactly `size` of them for the fixed-width fields); `nil` when they
    /// are not a valid field. Signed fields may be negative here.
    func value(of bytes: [UInt8]) -> Int64? {
        var cursor = ByteCursor(bytes)
        switch self {
        case .i32be: return cursor.readUInt32().map { Int64(Int32(bitPattern: $0)) }
        case .i32le: return cursor.readUInt32LittleEndian().map { Int64(Int32(bitPattern: $0)) }
        default:
            var buffer = FramingBuffer()
            buffer.attach(bytes[...])
            if case .value(let value, _) = read(in: buffer, at: 0) { return value }
            return nil
        }
    }

    private var isLittleEndian: Bool {
        switch self {
        case .u16le, .u24le, .u32le, .i32le, .u64le: return true
        default: return false
        }
    }

    /// LEB128: 7 bits a byte, least significant group first, the high bit set on every byte but the last.
    private func readVarint(in buffer: FramingBuffer, at index: Int, limit: Int) -> Reading {
        var value: UInt64 = 0
        for position in 0..<limit {
            guard let byte = buffer.byte(at: index + position) else { return .needMore }
            let bits = UInt64(byte & 0x7F)
            if position == 9 && bits > 1 { return .invalid("varint length is larger than 64 bits") }
            value |= bits << (7 * UInt64(position))
            if byte & 0x80 == 0 {
                guard let result = Int64(exactly: value) else {
                    return .invalid("varint length \(value) is too large")
                }
                return .value(result, width: position + 1)
            }
        }
        return .invalid(
            self == .mqttvar
                ? "MQTT remaining length runs past 4 bytes" : "varint length runs past 10 bytes"
        )
    }

    /// ASCII digits up to the first non-digit.
    private func readDecimal(in buffer: FramingBuffer, at index: Int) -> Reading {
        var value: Int64 = 0
        for position in 0...size {
            guard let byte = buffer.byte(at: index + position) else { return .needMore }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else {
                if position == 0 {
                    return .invalid("\(SummaryText.escaped([byte])) where a decimal length should start")
                }
                return .value(value, width: position)
            }
            let (tens, overflow) = value.multipliedReportingOverflow(by: 10)
            let (next, carry) = tens.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            guard position < size, !overflow, !carry else {
                return .invalid("decimal length has more than \(size) digits")
            }
            value = next
        }
        return .invalid("decimal length has more than \(size) digits")
    }
}
