/// Escaping for everything Seam's HTML report writes that came from a capture or a user: message summaries,
/// evidence, notes, file names, addresses.
///
/// The result is safe in element content and in single- or double-quoted attribute values (including SVG
/// `<title>`): `&`, `<`, `>`, `"` and `'` become entities, and control characters other than tab and LF become
/// a visible `\xHH`, so no byte of a capture can open a tag, end an attribute or hide in the page.
enum HTMLEscaping {
    /// `text` with `& < > " '` as entities and control characters as `\xHH`.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value) {
                    out += "\\x" + hex(scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// `text` cut to at most `limit` characters (an ellipsis marks the cut), then escaped.
    static func escape(_ text: String, limit: Int) -> String {
        guard text.count > limit else { return escape(text) }
        return escape(String(text.prefix(max(limit - 1, 0))) + "…")
    }

    /// A string fit for an `id` attribute and a URL fragment: letters, digits, `-` and `_`; anything else `_`.
    static func identifier(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            let v = scalar.value
            let isSafe =
                (0x30...0x39).contains(v) || (0x41...0x5A).contains(v) || (0x61...0x7A).contains(v)
                || scalar == "-" || scalar == "_"
            out += isSafe ? String(scalar) : "_"
        }
        return out
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return digits.count < 2 ? "0" + digits : digits
    }
}
