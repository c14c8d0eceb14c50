/// Finds an integer member of a top-level JSON object without a JSON parser: enough to read `total_size`
/// from the seed's headers. Strings (with escapes) and nested values are skipped, so a key inside a nested
/// object or inside a string value is not mistaken for a top-level one.
enum JSONIntegerField {
    enum Lookup: Equatable {
        case found(Int64)
        case missing
        /// The text is not a JSON object, or the member's value is not an integer; says what and where.
        case malformed(String)
    }

    /// The value of the top-level member `key` of the JSON object in `text`.
    static func lookup(_ key: String, in text: [UInt8]) -> Lookup {
        var scanner = Scanner(text: text)
        let wanted = Array(key.utf8)
        scanner.skipSpace()
        guard scanner.take(UInt8(ascii: "{")) else { return .malformed("the header is not a JSON object") }
        scanner.skipSpace()
        if scanner.take(UInt8(ascii: "}")) { return .missing }
        while true {
            scanner.skipSpace()
            guard let name = scanner.string() else {
                return .malformed("expected a member name at byte \(scanner.index)")
            }
            scanner.skipSpace()
            guard scanner.take(UInt8(ascii: ":")) else { return .malformed("expected ':' at byte \(scanner.index)") }
            scanner.skipSpace()
            if name == wanted {
                guard let value = scanner.integer() else {
                    return .malformed("\"\(key)\" is not an integer at byte \(scanner.index)")
                }
                return .found(value)
            }
            guard scanner.skipValue() else { return .malformed("unreadable value at byte \(scanner.index)") }
            scanner.skipSpace()
            if scanner.take(UInt8(ascii: ",")) { continue }
            if scanner.take(UInt8(ascii: "}")) { return .missing }
            return .malformed("expected ',' or '}' at byte \(scanner.index)")
        }
    }

    private struct Scanner {
        let text: [UInt8]
        var index = 0

        var current: UInt8? { index < text.count ? text[index] : nil }

        mutating func take(_ byte: UInt8) -> Bool {
            guard current == byte else { return false }
            index += 1
            return true
        }

        mutating func skipSpace() {
            while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
        }

        /// A string's bytes with the simple escapes undone (`\uXXXX` stays as written).
        mutating func string() -> [UInt8]? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            var bytes: [UInt8] = []
            while let byte = current {
                index += 1
                switch byte {
                case UInt8(ascii: "\""): return bytes
                case UInt8(ascii: "\\"):
                    guard let escaped = current else { return nil }
                    index += 1
                    switch escaped {
                    case UInt8(ascii: "n"): bytes.append(0x0A)
                    case UInt8(ascii: "t"): bytes.append(0x09)
                    case UInt8(ascii: "r"): bytes.append(0x0D)
                    case UInt8(ascii: "u"): bytes += [UInt8(ascii: "\\"), escaped]
                    default: bytes.append(escaped)
                    }
                default: bytes.append(byte)
                }
            }
            return nil
        }

        /// An integer: optional minus, digits, and no fraction or exponent.
        mutating func integer() -> Int64? {
            let negative = take(UInt8(ascii: "-"))
            var value: Int64 = 0
            var digits = 0
            while let byte = current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
                guard !overflow1, !overflow2 else { return nil }
                value = sum
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            if let next = current, next == UInt8(ascii: ".") || next == UInt8(ascii: "e") || next == UInt8(ascii: "E") {
                return nil
            }
            return negative ? -value : value
        }

        /// Skips one value of any kind, up to the `,` or `}` that follows it at depth 0 (not consumed);
        /// nested objects and arrays by depth, strings with their escapes.
        mutating func skipValue() -> Bool {
            var depth = 0
            while let byte = current {
                switch byte {
                case UInt8(ascii: "\""):
                    guard string() != nil else { return false }
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                    index += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    if depth == 0 { return byte == UInt8(ascii: "}") }
                    depth -= 1
                    index += 1
                case UInt8(ascii: ","):
                    if depth == 0 { return true }
                    index += 1
                default:
                    index += 1
                }
            }
            return false
        }
    }
}
