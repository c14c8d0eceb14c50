/// Standard base64 (RFC 4648 §4, with `=` padding), for the YAML stream view's `!!binary` data.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= bytes.count {
            let word = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out += [sextet(word, 18), sextet(word, 12), sextet(word, 6), sextet(word, 0)]
            i += 3
        }
        switch bytes.count - i {
        case 1:
            let word = UInt32(bytes[i]) << 16
            out += [sextet(word, 18), sextet(word, 12), UInt8(ascii: "="), UInt8(ascii: "=")]
        case 2:
            let word = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out += [sextet(word, 18), sextet(word, 12), sextet(word, 6), UInt8(ascii: "=")]
        default:
            break
        }
        return out
    }

    private static func sextet(_ word: UInt32, _ shift: UInt32) -> UInt8 { alphabet[Int(word >> shift & 0x3F)] }
}
