/// How the bytes of one direction of a stream are cut into application messages.
///
/// A spec is written as text on the command line (`--framing len:u32be`) and in reports; `init(parsing:)`
/// reads that text and `description` gives back its canonical form, so
/// `FramingSpec(parsing: spec.description) == spec` for every spec.
///
/// | text | messages |
/// | --- | --- |
/// | `line` | bytes up to and including each LF |
/// | `crlf` | bytes up to and including each CR LF |
/// | `delim:X` | bytes up to and including each `X` (C escapes, several bytes allowed) |
/// | `fixed:N` | every `N` bytes |
/// | `len:FIELD[@OFFSET][+ADJUST][,incl]` | a header holding a length, then that many bytes |
/// | `struct:i` | Python's `struct.pack('i', n)` header: `len:i32le` |
/// | `jsonhdr` | 4-byte `struct.pack('i')` length, a JSON header with `total_size`, then the body |
/// | `resp` | one complete top-level Redis (RESP2/RESP3) value or inline command |
/// | `http1` | one HTTP/1.x request or response with its body |
/// | `dns-tcp` | 2-byte big-endian length, then a DNS message (RFC 1035 §4.2.2) |
public enum FramingSpec: Hashable, Sendable {
    /// Messages end with LF (`\n`), which belongs to the message.
    case line
    /// Messages end with CR LF (`\r\n`), which belongs to the message.
    case crlf
    /// Messages end with the given bytes (never empty), which belong to the message.
    case delimiter([UInt8])
    /// Every message has `size` bytes (at least 1).
    case fixed(size: Int)
    /// A header holding a length field, then the body the length describes.
    case lengthPrefixed(LengthPrefix)
    /// Python's `struct.pack('i', n)` header before `n` bytes of body: four bytes, signed, little-endian (x86).
    case pythonStruct
    /// The seed's protocol: `struct.pack('i', len(header))`, a JSON header whose `total_size` (or `file_size`)
    /// is the body's length, then the body.
    case jsonHeader
    /// Redis serialization protocol: one complete top-level value (or inline command) per message.
    case resp
    /// HTTP/1.0 and HTTP/1.1 requests and responses with their bodies.
    case http1
    /// DNS over TCP: a 2-byte big-endian length, then the DNS message.
    case dnsTCP

    /// The length-prefix description of the specs that are length-prefixed (`len:…`, `struct:i`, `dns-tcp`).
    public var lengthPrefix: LengthPrefix? {
        switch self {
        case .lengthPrefixed(let prefix): return prefix
        case .pythonStruct: return LengthPrefix(field: .i32le)
        case .dnsTCP: return LengthPrefix(field: .u16be)
        default: return nil
        }
    }

    /// The delimiter that ends each message, for the delimiter specs (`line`, `crlf`, `delim:X`).
    public var delimiter: [UInt8]? {
        switch self {
        case .line: return [0x0A]
        case .crlf: return [0x0D, 0x0A]
        case .delimiter(let bytes): return bytes
        default: return nil
        }
    }

    /// A new decoder for this framing, at the start of a stream.
    func makeDecoder() -> any MessageDecoder {
        switch self {
        case .line, .crlf, .delimiter: return DelimiterDecoder(delimiter: delimiter ?? [])
        case .lengthPrefixed, .pythonStruct, .dnsTCP:
            return LengthFieldDecoder(prefix: lengthPrefix ?? LengthPrefix(field: .u8))
        case .fixed(let size): return FixedSizeDecoder(size: size)
        case .jsonHeader: return JSONHeaderDecoder()
        case .resp: return RESPDecoder()
        case .http1: return HTTP1Decoder()
        }
    }

    /// The spec forms with one line of help each, in the order `--help` lists them.
    public static let helpEntries: [(syntax: String, help: String)] = [
        ("line", "messages end with LF"),
        ("crlf", "messages end with CR LF"),
        ("delim:X", "messages end with X (C escapes \\n \\r \\t \\0 \\\\ \\xHH; several bytes allowed)"),
        ("fixed:N", "every message is N bytes"),
        (
            "len:FIELD[@OFF][+ADJ][,incl]",
            "FIELD (u8 u16be u16le u32be u32le i32be i32le u64be) at byte OFF: body length (+ADJ; incl: whole message)"
        ),
        ("struct:i", "Python struct.pack('i', n): 4-byte little-endian length, then n bytes (= len:i32le)"),
        ("jsonhdr", "struct.pack('i') length of a JSON header, the header, then total_size body bytes"),
        ("resp", "Redis protocol: one top-level RESP value or inline command per message"),
        ("http1", "HTTP/1.x requests and responses, bodies by Content-Length or chunked"),
        ("dns-tcp", "DNS over TCP: 2-byte big-endian length, then the message (= len:u16be)"),
    ]

    /// The help entries as aligned lines, for `--help` text.
    public static var helpText: String {
        let width = helpEntries.map(\.syntax.count).max() ?? 0
        return helpEntries.map { entry in
            entry.syntax + String(repeating: " ", count: width - entry.syntax.count + 2) + entry.help
        }.joined(separator: "\n")
    }
}
