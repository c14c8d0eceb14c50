extension FramingSpec: CustomStringConvertible {
    /// Reads a spec's text form (see the grammar on `FramingSpec`).
    /// - Throws: `FramingSpecError` naming the part that is wrong.
    public init(parsing text: String) throws(FramingSpecError) {
        func fail(_ reason: String) -> FramingSpecError { FramingSpecError(spec: text, reason: reason) }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        var specs: [FramingSpec] = []
        for part in parts {
            guard !part.isEmpty || parts.count == 1 else {
                throw fail("empty part in \"\(text)\" (expected SPEC/SPEC, e.g. len:u32be,incl/len:u32be@1+1,incl)")
            }
            let spec = try Self.parsePart(part, fail: fail)
            if parts.count > 1 && spec.messageSource != .bytes {
                throw fail("\"\(spec)\" stands alone: it cannot be part of a SPEC/SPEC chain")
            }
            specs.append(spec)
        }
        var result = specs.removeLast()
        while let first = specs.popLast() { result = .firstThen(first: first, then: result) }
        self = result
    }

    /// The names that stand alone, without an argument.
    private static let bare: [String: FramingSpec] = [
        "line": .line, "crlf": .crlf, "jsonhdr": .jsonHeader, "resp": .resp, "http1": .http1, "dns-tcp": .dnsTCP,
        "tls": .tls, "http2": .http2, "grpc": .grpc, "websocket": .websocket, "mqtt": .mqtt, "pgsql": .pgsql,
        "mysql": .mysql, "kafka": .kafka, "memcache": .memcache, "protobuf": .protobuf, "sends": .sends,
        "segments": .segments, "none": .noMessages,
    ]

    /// One part of a chain: `NAME` or `NAME:ARGUMENT`.
    private static func parsePart(
        _ text: Substring,
        fail: (String) -> FramingSpecError
    ) throws(FramingSpecError) -> FramingSpec {
        let name: Substring
        let argument: Substring?
        if let colon = text.firstIndex(of: ":") {
            name = text[..<colon]
            argument = text[text.index(after: colon)...]
        } else {
            name = text
            argument = nil
        }
        if let spec = bare[String(name)] {
            guard argument == nil else { throw fail("\"\(name)\" takes no argument") }
            return spec
        }
        switch name {
        case "delim":
            guard let argument, !argument.isEmpty else {
                throw fail("delimiter is empty (expected delim:X, e.g. delim:\\r\\n)")
            }
            return .delimiter(try Self.unescape(argument, fail: fail))
        case "fixed":
            guard let argument, !argument.isEmpty else { throw fail("size is missing (expected fixed:N)") }
            guard let size = Int(argument) else { throw fail("size \"\(argument)\" is not a number") }
            guard size >= 1 else { throw fail("size must be at least 1") }
            return .fixed(size: size)
        case "struct":
            guard argument == "i" else {
                throw fail("unknown struct format \"\(argument ?? "")\" (expected struct:i)")
            }
            return .pythonStruct
        case "len":
            return .lengthPrefixed(try Self.parseLengthPrefix(argument ?? "", fail: fail))
        case "linelen":
            return .lineLength(try Self.parseLineLength(argument ?? "", fail: fail))
        default:
            let names = FramingSpec.helpEntries.map(\.syntax).filter { !$0.hasPrefix(" ") && $0 != "A/B" }
                .map { $0.prefix { $0 != "[" } }.joined(separator: " ")
            throw fail("unknown framing \"\(name)\" (expected one of \(names))")
        }
    }

    /// The canonical text of this spec.
    public var description: String {
        switch self {
        case .line: return "line"
        case .crlf: return "crlf"
        case .delimiter(let bytes): return "delim:" + Self.escape(bytes[...], escapingSlash: true)
        case .fixed(let size): return "fixed:\(size)"
        case .lengthPrefixed(let prefix): return prefix.description
        case .lineLength(let line): return line.description
        case .pythonStruct: return "struct:i"
        case .jsonHeader: return "jsonhdr"
        case .resp: return "resp"
        case .http1: return "http1"
        case .dnsTCP: return "dns-tcp"
        case .tls: return "tls"
        case .http2: return "http2"
        case .grpc: return "grpc"
        case .websocket: return "websocket"
        case .mqtt: return "mqtt"
        case .pgsql: return "pgsql"
        case .mysql: return "mysql"
        case .kafka: return "kafka"
        case .memcache: return "memcache"
        case .protobuf: return "protobuf"
        case .firstThen(let first, let then): return "\(first)/\(then)"
        case .sends: return "sends"
        case .segments: return "segments"
        case .noMessages: return "none"
        }
    }

    /// `FIELD[@OFFSET][+ADJUST|-ADJUST][,after=N][,incl]`
    private static func parseLengthPrefix(
        _ text: Substring,
        fail: (String) -> FramingSpecError
    ) throws(FramingSpecError) -> LengthPrefix {
        var flags = text.split(separator: ",", omittingEmptySubsequences: false)
        var rest = flags.removeFirst()
        var includesHeader = false
        var after: Int?
        for flag in flags {
            if flag == "incl" {
                guard !includesHeader else { throw fail("flag \"incl\" is given twice") }
                includesHeader = true
            } else if flag.hasPrefix("after=") {
                guard after == nil else { throw fail("flag \"after\" is given twice") }
                let digits = flag.dropFirst("after=".count)
                guard let value = Self.count(digits), value <= 1 << 20 else {
                    throw fail("after=\"\(digits)\" is not a byte count (expected after=N, 0 ≤ N ≤ 1 MiB)")
                }
                after = value
            } else {
                throw fail("unknown flag \"\(flag)\" (expected incl or after=N)")
            }
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
            let body = rest.dropFirst()
            let signed = body.first == "-" ? body.dropFirst() : body
            let end = signed.firstIndex { $0 == "+" || $0 == "-" } ?? signed.endIndex
            let digits = signed[..<end]
            guard let value = Self.count(digits) else {
                throw fail("offset \"\(body[..<end])\" is not a byte count (expected @N, N ≥ 0)")
            }
            guard body.first != "-" || value == 0 else {
                throw fail("offset -\(value) is negative (expected @N, N ≥ 0: bytes before the length field)")
            }
            offset = value
            rest = signed[end...]
        }
        let adjustment = try Self.parseAdjustment(rest, fail: fail)
        guard offset <= 1 << 20 else { throw fail("offset \(offset) is larger than 1 MiB") }
        return LengthPrefix(
            field: field,
            offset: offset,
            after: after ?? 0,
            adjustment: adjustment,
            includesHeader: includesHeader
        )
    }

    /// `WORD[+ADJUST|-ADJUST][,opt]`, WORD counting from 0 (from the end when negative).
    private static func parseLineLength(
        _ text: Substring,
        fail: (String) -> FramingSpecError
    ) throws(FramingSpecError) -> LineLength {
        var rest = text
        var isOptional = false
        if let comma = rest.firstIndex(of: ",") {
            let flag = rest[rest.index(after: comma)...]
            guard flag == "opt" else { throw fail("unknown flag \"\(flag)\" (expected opt)") }
            isOptional = true
            rest = rest[..<comma]
        }
        let negative = rest.first == "-"
        let unsigned = negative ? rest.dropFirst() : rest
        let end = unsigned.firstIndex { $0 == "+" || $0 == "-" } ?? unsigned.endIndex
        let digits = unsigned[..<end]
        guard let word = Self.count(digits), word <= 1 << 16 else {
            throw fail(
                "word \"\(rest[..<end])\" is not a word index (expected linelen:N, N from 0, or -N from the end)"
            )
        }
        guard !(negative && word == 0) else { throw fail("word -0 is not a word index (-1 is the last word)") }
        let adjustment = try Self.parseAdjustment(unsigned[end...], fail: fail)
        return LineLength(word: negative ? -word : word, adjustment: adjustment, isOptional: isOptional)
    }

    /// `+N` or `-N`, or nothing.
    private static func parseAdjustment(
        _ text: Substring,
        fail: (String) -> FramingSpecError
    ) throws(FramingSpecError) -> Int {
        guard !text.isEmpty else { return 0 }
        var digits = text
        if digits.first == "+" { digits = digits.dropFirst() }
        guard let value = Int(digits), !digits.isEmpty, digits.dropFirst().allSatisfy(\.isNumber),
            digits.dropFirst().allSatisfy(\.isASCII), digits.first == "-" || digits.first?.isNumber == true
        else {
            throw fail("adjustment \"\(text)\" is not a number (expected +N or -N)")
        }
        guard abs(value) <= 1 << 40 else { throw fail("adjustment \(value) is out of range") }
        return value
    }

    /// ASCII digits as a non-negative count, `nil` for anything else.
    private static func count(_ digits: Substring) -> Int? {
        guard !digits.isEmpty, digits.count <= 18, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(digits)
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

    /// Bytes to the spec's escaped text; the inverse of `unescape`. Printable ASCII stays as it is, but for `/`
    /// when `escapingSlash` (it separates the parts of a `SPEC/SPEC` chain).
    static func escape(_ bytes: ArraySlice<UInt8>, escapingSlash: Bool = false) -> String {
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
            case UInt8(ascii: "/") where escapingSlash:
                text += Array("\\x2f".utf8)
                continue
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
