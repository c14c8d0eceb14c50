extension FramingSpec: CustomStringConvertible {
    /// Reads a spec's text form (see the table on `FramingSpec`).
    /// - Throws: `FramingSpecError` naming the part that is wrong.
    public init(parsing text: String) throws(FramingSpecError) {
        func fail(_ reason: String) -> FramingSpecError { FramingSpecError(spec: text, reason: reason) }
        let name: Substring
        let argument: Substring?
        if let colon = text.firstIndex(of: ":") {
            name = text[..<colon]
            argument = text[text.index(after: colon)...]
        } else {
            name = text[...]
            argument = nil
        }
        let bare: [String: FramingSpec] = [
            "line": .line, "crlf": .crlf, "jsonhdr": .jsonHeader, "resp": .resp, "http1": .http1, "dns-tcp": .dnsTCP,
        ]
        if let spec = bare[String(name)] {
            guard argument == nil else { throw fail("\"\(name)\" takes no argument") }
            self = spec
            return
        }
        switch name {
        case "delim":
            guard let argument, !argument.isEmpty else {
                throw fail("delimiter is empty (expected delim:X, e.g. delim:\\r\\n)")
            }
            self = .delimiter(try Self.unescape(argument, fail: fail))
        case "fixed":
            guard let argument, !argument.isEmpty else { throw fail("size is missing (expected fixed:N)") }
            guard let size = Int(argument) else { throw fail("size \"\(argument)\" is not a number") }
            guard size >= 1 else { throw fail("size must be at least 1") }
            self = .fixed(size: size)
        case "struct":
            guard argument == "i" else {
                throw fail("unknown struct format \"\(argument ?? "")\" (expected struct:i)")
            }
            self = .pythonStruct
        case "len":
            self = .lengthPrefixed(try Self.parseLengthPrefix(argument ?? "", fail: fail))
        default:
            let names = FramingSpec.helpEntries.map(\.syntax).joined(separator: " ")
            throw fail("unknown framing \"\(name)\" (expected one of \(names))")
        }
    }

    /// The canonical text of this spec.
    public var description: String {
        switch self {
        case .line: return "line"
        case .crlf: return "crlf"
        case .delimiter(let bytes): return "delim:" + Self.escape(bytes[...])
        case .fixed(let size): return "fixed:\(size)"
        case .lengthPrefixed(let prefix): return prefix.description
        case .pythonStruct: return "struct:i"
        case .jsonHeader: return "jsonhdr"
        case .resp: return "resp"
        case .http1: return "http1"
        case .dnsTCP: return "dns-tcp"
        }
    }

    /// `FIELD[@OFFSET][+ADJUST|-ADJUST][,incl]`
    private static func parseLengthPrefix(
        _ text: Substring,
        fail: (String) -> FramingSpecError
    ) throws(FramingSpecError) -> LengthPrefix {
        var rest = text
        var includesHeader = false
        if let comma = rest.firstIndex(of: ",") {
            let flag = rest[rest.index(after: comma)...]
            guard flag == "incl" else { throw fail("unknown flag \"\(flag)\" (expected incl)") }
            includesHeader = true
            rest = rest[..<comma]
        }
        let fieldEnd = rest.firstIndex { $0 == "@" || $0 == "+" || $0 == "-" } ?? rest.endIndex
        let fieldName = rest[..<fieldEnd]
        let fieldNames = LengthField.allCases.map(\.rawValue).joined(separator: " ")
        guard !fieldName.isEmpty else { throw fail("length field is missing (expected one of \(fieldNames))") }
        guard let field = LengthField(rawValue: String(fieldName)) else {
            throw fail("unknown length field \"\(fieldName)\" (expected one of \(fieldNames))")
        }
        rest = rest[fieldEnd...]
        var offset = 0
        if rest.first == "@" {
            let end = rest.dropFirst().firstIndex { $0 == "+" || $0 == "-" } ?? rest.endIndex
            let digits = rest[rest.index(after: rest.startIndex)..<end]
            guard let value = Int(digits), value >= 0, digits.allSatisfy(\.isASCII), digits.first != "+" else {
                throw fail("offset \"\(digits)\" is not a byte count (expected @N, N ≥ 0)")
            }
            offset = value
            rest = rest[end...]
        }
        var adjustment = 0
        if !rest.isEmpty {
            var digits = rest
            if digits.first == "+" { digits = digits.dropFirst() }
            guard let value = Int(digits), !digits.isEmpty, digits.dropFirst().allSatisfy(\.isNumber),
                digits.first == "-" || digits.first?.isNumber == true
            else {
                throw fail("adjustment \"\(rest)\" is not a number (expected +N or -N)")
            }
            adjustment = value
        }
        guard offset <= 1 << 20 else { throw fail("offset \(offset) is larger than 1 MiB") }
        guard abs(adjustment) <= 1 << 40 else { throw fail("adjustment \(adjustment) is out of range") }
        return LengthPrefix(field: field, offset: offset, adjustment: adjustment, includesHeader: includesHeader)
    }

    /// C escapes to bytes: `\n \r \t \0 \\ \xHH`, other characters as their UTF-8 bytes.
    private static func unescape(
        _ text: Substring,
        fail: (String) -> FramingSpecError
    ) throws(FramingSpecError) -> [UInt8] {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "\\") else {
                bytes.append(byte)
                continue
            }
            switch iterator.next() {
            case UInt8(ascii: "n"): bytes.append(0x0A)
            case UInt8(ascii: "r"): bytes.append(0x0D)
            case UInt8(ascii: "t"): bytes.append(0x09)
            case UInt8(ascii: "0"): bytes.append(0x00)
            case UInt8(ascii: "\\"): bytes.append(0x5C)
            case UInt8(ascii: "x"):
                guard let high = iterator.next().flatMap(Self.hexValue),
                    let low = iterator.next().flatMap(Self.hexValue)
                else { throw fail("escape \\x needs two hex digits") }
                bytes.append(high << 4 | low)
            case nil: throw fail("delimiter ends with a lone backslash")
            case let other?:
                throw fail("unknown escape \\\(Character(Unicode.Scalar(other))) (expected \\n \\r \\t \\0 \\\\ \\xHH)")
            }
        }
        return bytes
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Bytes to the spec's escaped text; the inverse of `unescape`. Printable ASCII stays as it is.
    static func escape(_ bytes: ArraySlice<UInt8>) -> String {
        let backslash = UInt8(ascii: "\\")
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count + 8)
        for byte in bytes {
            let escaped: UInt8
            switch byte {
            case 0x0A: escaped = UInt8(ascii: "n")
            case 0x0D: escaped = UInt8(ascii: "r")
            case 0x09: escaped = UInt8(ascii: "t")
            case 0x00: escaped = UInt8(ascii: "0")
            case backslash: escaped = backslash
            case 0x20...0x7E:
                text.append(byte)
                continue
            default:
                text.append(backslash)
                text.append(UInt8(ascii: "x"))
                text.append(hexDigits[Int(byte >> 4)])
                text.append(hexDigits[Int(byte & 0xF)])
                continue
            }
            text.append(backslash)
            text.append(escaped)
        }
        return String(decoding: text, as: UTF8.self)
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
