/// Frames PostgreSQL's frontend/backend protocol 3.0 (`pgsql`).
///
/// ```
///  startup (untyped; the client's first message):   typed (every other message):
///  +-------------+------------------+--------        +------+-------------+----------------------+
///  | length (4)  | code (4)         | ...            | type | length (4)  | body (length - 4)    |
///  | incl. itself| 196608 = 3.0     |                | 1    | incl. itself|                      |
///  +-------------+------------------+--------        +------+-------------+----------------------+
///  code 80877103 SSLRequest, 80877104 GSSENCRequest (length 8): the server answers one byte,
///  'S' (TLS records follow on both sides) or 'N' (the client sends its StartupMessage next);
///  80877102 CancelRequest (length 16)
/// ```
///
/// The two directions differ: the client starts with untyped packets (SSLRequest, then StartupMessage),
/// the server may start with the one-byte answer; the type bytes allowed differ too. Without a direction the
/// first byte decides (0x00: the client's length; a letter: the server). After `S` both sides are framed as TLS
/// records (`tls`); direct TLS (PostgreSQL 17's `sslnegotiation=direct`) is not recognised. A GSSAPI-encrypted
/// stream (answer `G`) is not framed. Exchanges are in order: StartupMessage, SSLRequest, Query, Sync and
/// FunctionCall are requests; ReadyForQuery and the one-byte answer are responses.
struct PostgresLayout: FrameLayout {
    enum Phase: Hashable, Sendable {
        /// Before the first message: untyped packets (client) or the one-byte answer (server).
        case start
        /// Typed messages.
        case typed
        /// TLS records.
        case tls
    }

    static let frontendTypes = Set("BCdcfDEHFPpQSX".utf8)
    static let backendTypes = Set("RK23CdcGHWDIEVnNAtS1sZTv".utf8)
    static let names: [UInt8: String] = [
        0x42: "Bind", 0x43: "Close/CommandComplete", 0x64: "CopyData", 0x63: "CopyDone", 0x66: "CopyFail",
        0x44: "Describe/DataRow", 0x45: "Execute/ErrorResponse", 0x48: "Flush/CopyOutResponse", 0x46: "FunctionCall",
        0x50: "Parse", 0x70: "Password", 0x51: "Query", 0x53: "Sync/ParameterStatus", 0x58: "Terminate",
        0x52: "Authentication", 0x4B: "BackendKeyData", 0x32: "BindComplete", 0x33: "CloseComplete",
        0x47: "CopyInResponse", 0x57: "CopyBothResponse", 0x49: "EmptyQueryResponse", 0x56: "FunctionCallResponse",
        0x6E: "NoData", 0x4E: "NoticeResponse", 0x41: "NotificationResponse", 0x74: "ParameterDescription",
        0x31: "ParseComplete", 0x73: "PortalSuspended", 0x5A: "ReadyForQuery", 0x54: "RowDescription",
        0x76: "NegotiateProtocolVersion",
    ]
    /// PostgreSQL's own limits: a startup packet of at most 10 000 bytes, a message of at most 1 GiB.
    static let startupLimit: UInt64 = 10_000
    static let messageLimit: UInt64 = 1 << 30

    let direction: Direction?
    private(set) var phase = Phase.start
    private var isFrontend: Bool?
    /// The client asked for TLS (or GSSAPI): TLS records may follow instead of a StartupMessage.
    private var sentSSLRequest = false
    private let tls = TLSRecordLayout()

    init(direction: Direction?) {
        self.direction = direction
        isFrontend = direction.map { $0 == .clientToServer }
    }

    var headLimit: Int { 5 + 32 }

    mutating func head(in buffer: FramingBuffer, at offset: UInt64) throws(FramingError) -> FrameHead? {
        guard let first = buffer.byte(at: 0) else { return nil }
        if phase == .tls { return try tls.head(in: buffer, at: offset) }
        if isFrontend == nil { isFrontend = first == 0x00 }
        if phase == .start {
            if isFrontend == true { return try startupPacket(in: buffer, at: offset) }
            phase = .typed
            switch first {
            case UInt8(ascii: "S"):
                phase = .tls
                return FrameHead(length: 1, summary: "SSL answer S", exchange: .response(key: 0))
            case UInt8(ascii: "N"):
                phase = .start
                return FrameHead(length: 1, summary: "SSL answer N", exchange: .response(key: 0))
            case UInt8(ascii: "G"):
                throw FramingError(offset: offset, reason: "PostgreSQL GSSAPI encryption accepted: not framed")
            default:
                break
            }
        }
        let allowed: Set<UInt8> =
            isFrontend == true
            ? Self.frontendTypes : (direction == nil ? Self.frontendTypes.union(Self.backendTypes) : Self.backendTypes)
        guard allowed.contains(first) else {
            let side = isFrontend == true ? "client" : "server"
            throw FramingError(
                offset: offset,
                reason: "byte 0x\(String(first, radix: 16)) is not a PostgreSQL \(side) message type"
            )
        }
        guard let length = buffer.bigEndian(at: 1, count: 4) else { return nil }
        guard length >= 4, length <= Self.messageLimit else {
            throw FramingError(offset: offset, reason: "PostgreSQL message length \(length) is outside 4…1 GiB")
        }
        var summary = Self.name(first, frontend: isFrontend)
        if first == UInt8(ascii: "Q") && isFrontend == true {
            let text = Int(min(length - 4, 32))
            guard buffer.readableBytes >= 5 + text else { return nil }
            summary += " " + SummaryText.escaped(buffer.bytes(5..<(5 + text)), truncated: length - 4 > 32)
        }
        var exchange: MessageExchange?
        if isFrontend == true, [UInt8(ascii: "Q"), UInt8(ascii: "S"), UInt8(ascii: "F")].contains(first) {
            exchange = .request(key: 0)
        } else if isFrontend == false, first == UInt8(ascii: "Z") {
            exchange = .response(key: 0)
        }
        return FrameHead(length: 1 + length, summary: summary, exchange: exchange)
    }

    /// An untyped packet of the client: StartupMessage, SSLRequest, GSSENCRequest or CancelRequest.
    private mutating func startupPacket(in buffer: FramingBuffer, at offset: UInt64) throws(FramingError) -> FrameHead?
    {
        if sentSSLRequest && buffer.byte(at: 0) == 0x16 {
            phase = .tls
            return try tls.head(in: buffer, at: offset)
        }
        guard let length = buffer.bigEndian(at: 0, count: 4) else { return nil }
        guard length >= 8, length <= Self.startupLimit else {
            throw FramingError(offset: offset, reason: "PostgreSQL startup packet length \(length) is outside 8…10000")
        }
        guard let code = buffer.bigEndian(at: 4, count: 4) else { return nil }
        switch code {
        case 80_877_103, 80_877_104:
            sentSSLRequest = true
            return FrameHead(
                length: length,
                summary: code == 80_877_103 ? "SSLRequest" : "GSSENCRequest",
                exchange: .request(key: 0)
            )
        case 80_877_102:
            return FrameHead(length: length, summary: "CancelRequest")
        case let version where version >> 16 == 3:
            phase = .typed
            return FrameHead(length: length, summary: "StartupMessage", exchange: .request(key: 0))
        default:
            throw FramingError(
                offset: offset + 4,
                reason:
                    "PostgreSQL startup code \(code) is not protocol 3.x, SSLRequest, GSSENCRequest or CancelRequest"
            )
        }
    }

    /// The message's name for its side (type bytes mean different things each way).
    private static func name(_ type: UInt8, frontend: Bool?) -> String {
        guard let full = names[type] else { return String(UnicodeScalar(type)) }
        let parts = full.split(separator: "/")
        guard parts.count == 2, let frontend else { return full }
        return String(frontend ? parts[0] : parts[1])
    }
}
