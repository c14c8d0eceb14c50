/// One `key=value` word of a Seam comment (a session call's `opt_comment`, the session settings in the
/// section header). Kept in an ordered list so the text Seam writes is deterministic.
///
/// In text, bytes outside printable ASCII, `%`, `=` and space are written as `%XX`, so a word never contains
/// a space and splits back exactly.
public struct CommentWord: Sendable, Hashable, CustomStringConvertible {
    public var key: String
    public var value: String

    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }

    /// `key=value`, escaped.
    public var description: String { "\(CommentWord.escape(key))=\(CommentWord.escape(value))" }

    /// Parses one `key=value` word; `nil` when it has no `=` or an empty key.
    public init?(parsing word: Substring) {
        guard let equals = word.firstIndex(of: "="), equals != word.startIndex else { return nil }
        self.init(
            CommentWord.unescape(word[..<equals]), CommentWord.unescape(word[word.index(after: equals)...]))
    }

    /// Splits `text` at spaces into words; the first word without `=` is returned as `malformed`.
    static func parseAll(_ text: String) -> (words: [CommentWord], malformed: Substring?) {
        var words: [CommentWord] = []
        for piece in text.split(separator: " ", omittingEmptySubsequences: true) {
            guard let word = CommentWord(parsing: piece) else { return (words, piece) }
            words.append(word)
        }
        return (words, nil)
    }

    static func escape(_ text: String) -> String {
        // Nearly every word needs no escape (numbers, names, endpoints): the text as it is, no new string.
        if text.utf8.allSatisfy(isPlain) { return text }
        var result = ""
        for byte in text.utf8 {
            if byte > 0x20 && byte < 0x7F && byte != UInt8(ascii: "%") && byte != UInt8(ascii: "=") {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let digits = Array("0123456789ABCDEF".unicodeScalars)
                result.unicodeScalars.append("%")
                result.unicodeScalars.append(digits[Int(byte >> 4)])
                result.unicodeScalars.append(digits[Int(byte & 0xF)])
            }
        }
        return result
    }

    /// Whether `byte` stands for itself in a word.
    private static func isPlain(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte < 0x7F && byte != UInt8(ascii: "%") && byte != UInt8(ascii: "=")
    }

    static func unescape(_ text: Substring) -> String {
        guard text.contains("%") else { return String(text) }
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
            {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        default: return nil
        }
    }
}
