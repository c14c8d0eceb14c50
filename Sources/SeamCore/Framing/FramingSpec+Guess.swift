extension FramingSpec {
    private static let httpMethods = [
        "GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "CONNECT", "TRACE",
    ].map { Array(($0 + " ").utf8) }

    /// Framings that a direction's first bytes look like, the likeliest first; empty when nothing fits.
    ///
    /// A hint for plain captures analysed without `--framing`, never a decision: HTTP/1 when the bytes start
    /// with a method or `HTTP/1.`; RESP when they start with a RESP type line (`*2\r\n`, `+OK\r\n`, …); `jsonhdr`,
    /// `struct:i` and `len:u32be` when the first four bytes, read as a length, fit the bytes that follow;
    /// `dns-tcp` when a 2-byte length is followed by a plausible DNS header; `crlf` or `line` for printable text
    /// with line ends.
    public static func guess(firstBytes bytes: ArraySlice<UInt8>) -> [FramingSpec] {
        let bytes = Array(bytes)
        var guesses: [FramingSpec] = []
        if bytes.starts(with: "HTTP/1.".utf8) || httpMethods.contains(where: { bytes.starts(with: $0) }) {
            guesses.append(.http1)
        }
        if looksLikeRESP(bytes) { guesses.append(.resp) }
        if bytes.count > 4, bytes[4] == UInt8(ascii: "{"),
            let length = LengthField.i32le.value(of: Array(bytes[0..<4])),
            length >= 2, length <= JSONHeaderDecoder.headerLimit
        {
            guesses.append(.jsonHeader)
        }
        if looksLikeDNS(bytes) { guesses.append(.dnsTCP) }
        if plausibleLength(.i32le, in: bytes) != nil { guesses.append(.pythonStruct) }
        if plausibleLength(.u32be, in: bytes) != nil { guesses.append(.lengthPrefixed(LengthPrefix(field: .u32be))) }
        if let newline = bytes.firstIndex(of: 0x0A), isText(bytes) {
            guesses.append(newline > 0 && bytes[newline - 1] == 0x0D ? .crlf : .line)
        }
        return guesses
    }

    /// A RESP type line: type byte, then digits (lengths) or text, then CR LF.
    private static func looksLikeRESP(_ bytes: [UInt8]) -> Bool {
        guard let type = bytes.first, let newline = bytes.firstIndex(of: 0x0A), newline >= 2,
            bytes[newline - 1] == 0x0D
        else { return false }
        let text = bytes[1..<(newline - 1)]
        switch type {
        case UInt8(ascii: "*"), UInt8(ascii: "$"), UInt8(ascii: ":"):
            return Int(String(decoding: text, as: UTF8.self)).map { $0 >= -1 } ?? false
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            return isText(Array(text))
        default:
            return false
        }
    }

    /// The largest first length that `guess` takes for a length prefix.
    private static let plausibleLengthLimit: Int64 = 1 << 20

    /// The first length field's value when it is positive, at most 1 MiB, and either covers exactly the bytes seen or
    /// is followed by another plausible length; `nil` otherwise.
    private static func plausibleLength(_ field: LengthField, in bytes: [UInt8]) -> Int64? {
        guard bytes.count > field.size, let length = field.value(of: Array(bytes.prefix(field.size))),
            length > 0, length <= Self.plausibleLengthLimit
        else { return nil }
        let rest = Int64(bytes.count - field.size)
        if rest <= length { return length }
        let next = Int(length) + field.size
        guard next + field.size <= bytes.count,
            let following = field.value(of: Array(bytes[next..<(next + field.size)])),
            following > 0, following <= Self.plausibleLengthLimit
        else { return nil }
        return length
    }

    /// A 2-byte length of at least a DNS header (12 bytes), then a header with one question.
    private static func looksLikeDNS(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 14, let length = LengthField.u16be.value(of: Array(bytes[0..<2])), length >= 12 else {
            return false
        }
        let questions = Int(bytes[6]) << 8 | Int(bytes[7])
        let opcode = (bytes[4] >> 3) & 0x0F
        return questions == 1 && opcode <= 5 && (bytes.count - 2 <= length || bytes.count - 2 >= length + 2)
    }

    /// Printable ASCII, tabs and line ends only.
    private static func isText(_ bytes: [UInt8]) -> Bool {
        !bytes.isEmpty && bytes.allSatisfy { ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
    }
}
