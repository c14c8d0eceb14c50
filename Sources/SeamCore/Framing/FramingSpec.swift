/// How the bytes of one direction of a stream are cut into application messages.
///
/// A spec is written as text on the command line (`--framing len:u32be`) and in reports; `init(parsing:)`
/// reads that text and `description` gives back its canonical form, so
/// `FramingSpec(parsing: spec.description) == spec` for every spec.
///
/// Grammar (`FramingSpec.helpEntries` lists the same forms for `--help`):
///
/// ```
/// SPEC     = PART ( "/" PART )*            first message by the first PART, the next by the next, the rest by the last
/// PART     = "line" | "crlf" | "delim:" ESCAPED | "fixed:" N
///          | "len:" FIELD [ "@" N ] [ ("+"|"-") N ] [ ",after=" N ] [ ",incl" ]
///          | "linelen:" [ "-" ] N [ ("+"|"-") N ] [ ",opt" ]
///          | "struct:i" | "jsonhdr" | "resp" | "http1" | "dns-tcp"
///          | "tls" | "http2" | "grpc" | "websocket" | "mqtt" | "pgsql" | "mysql" | "kafka" | "memcache" | "protobuf"
///          | "sends" | "segments" | "none"     (these three stand alone, never in a "/" chain)
/// FIELD    = u8 | u16be | u16le | u24be | u24le | u32be | u32le | i32be | i32le | u64be | u64le
///          | varint | mqttvar | dec
/// ESCAPED  = text with \n \r \t \0 \\ \xHH escapes ("/" is written \x2f)
/// ```
///
/// | text | messages |
/// | --- | --- |
/// | `line` | bytes up to and including each LF |
/// | `crlf` | bytes up to and including each CR LF |
/// | `delim:X` | bytes up to and including each `X` (C escapes, several bytes allowed) |
/// | `fixed:N` | every `N` bytes |
/// | `len:FIELD[@OFFSET][+ADJUST][,after=N][,incl]` | a header holding a length, then that many bytes (`LengthPrefix`) |
/// | `linelen:WORD[+ADJUST][,opt]` | a line whose word `WORD` is a decimal length, then that many bytes (`LineLength`) |
/// | `A/B` | the first message framed by `A`, the rest by `B` (e.g. `len:u32be,incl/len:u32be@1+1,incl`) |
/// | `struct:i` | Python's `struct.pack('i', n)` header: `len:i32le` |
/// | `jsonhdr` | 4-byte `struct.pack('i')` length, a JSON header with `total_size`, then the body |
/// | `resp` | one complete top-level Redis (RESP2/RESP3) value or inline command |
/// | `http1` | one HTTP/1.x request or response with its body |
/// | `dns-tcp` | 2-byte big-endian length, then a DNS message (RFC 1035 §4.2.2) |
/// | `tls` | one TLS record (5-byte header: type, version, 2-byte length) |
/// | `http2` | the client preface, then HTTP/2 frames (9-byte header, 24-bit length); h2c upgrade heads too |
/// | `grpc` | HTTP/2 frames, with DATA frames cut into gRPC's length-prefixed messages |
/// | `websocket` | the HTTP/1.1 upgrade request or 101 response, then WebSocket frames |
/// | `mqtt` | one MQTT control packet (type byte, Remaining Length varint, rest) |
/// | `pgsql` | PostgreSQL: startup packet / SSLRequest (and its one-byte answer), then typed messages; TLS after `S` |
/// | `mysql` | one MySQL packet (3-byte little-endian length, sequence byte, payload); TLS after an SSL request |
/// | `kafka` | one Kafka request or response (4-byte big-endian size, then the message) |
/// | `memcache` | one memcache command or response, data blocks included (`VALUE` items through `END`); binary too |
/// | `protobuf` | varint-delimited protobuf messages (`writeDelimitedTo`) |
/// | `sends` | messages are the sender's write calls (no byte framing) |
/// | `segments` | messages are the TCP segments as captured (no byte framing) |
/// | `none` | no messages |
///
/// Some built-ins read the two directions differently (PostgreSQL's startup and answers, WebSocket's masking,
/// MQTT's packet types, Kafka's request and response headers); a framer given the direction
/// (`MessageFramer(spec:direction:)`) checks each side's rules, one without it accepts either side's messages.
/// `DirectionFraming` holds one spec per direction.
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
    /// A line holding a decimal length in one of its words, then a data block of that length.
    case lineLength(LineLength)
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
    /// TLS records.
    case tls
    /// HTTP/2: the client connection preface, then frames (prior knowledge or an h2c upgrade).
    case http2
    /// gRPC over h2c: HTTP/2 frames, DATA frames cut into gRPC length-prefixed messages.
    case grpc
    /// WebSocket: the HTTP/1.1 upgrade, then frames.
    case websocket
    /// MQTT 3.1, 3.1.1 and 5 control packets.
    case mqtt
    /// PostgreSQL's frontend/backend protocol (version 3).
    case pgsql
    /// MySQL and MariaDB client/server packets.
    case mysql
    /// Kafka's wire protocol: size-prefixed requests and responses.
    case kafka
    /// memcached's text protocol (and its binary protocol, told apart by the first byte).
    case memcache
    /// Varint-delimited protobuf messages.
    case protobuf
    /// The first message framed by `first`, every later one by `then`.
    indirect case firstThen(first: FramingSpec, then: FramingSpec)
    /// Messages are the sender's write calls: the analysis takes them from the send layer.
    case sends
    /// Messages are the captured TCP segments: the analysis takes them from the segment layer.
    case segments
    /// No messages (written `none`; not named `.none`, which would shadow `Optional.none`).
    case noMessages

    /// The length-prefix description of the specs that are plain length prefixes (`len:…`, `struct:i`,
    /// `dns-tcp`).
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

    /// Where a spec's messages come from.
    public enum MessageSource: String, Hashable, Sendable {
        /// The framer cuts them from the bytes.
        case bytes
        /// The sender's write calls (`sends`).
        case sendCalls = "send-calls"
        /// The captured segments (`segments`).
        case segments
        /// There are none (`none`).
        case noMessages = "none"
    }

    /// Where this spec's messages come from: the bytes for every spec but `sends`, `segments` and `none`, which
    /// a `MessageFramer` frames as no messages (the analysis takes them from its layers).
    public var messageSource: MessageSource {
        switch self {
        case .sends: return .sendCalls
        case .segments: return .segments
        case .noMessages: return .noMessages
        default: return .bytes
        }
    }

    /// Whether this is one of the named protocols (not a generic layout such as `line` or `len:…`).
    public var isProtocol: Bool {
        switch self {
        case .resp, .http1, .dnsTCP, .tls, .http2, .grpc, .websocket, .mqtt, .pgsql, .mysql, .kafka, .memcache,
            .protobuf, .jsonHeader:
            return true
        case .firstThen(_, let then): return then.isProtocol
        default: return false
        }
    }
}
