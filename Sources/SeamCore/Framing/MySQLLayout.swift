/// Frames MySQL and MariaDB client/server packets (`mysql`).
///
/// ```
///  +------------------------+-------------+--------------------------------------+
///  | payload length (3, LE) | sequence id | payload: length bytes                |
///  +------------------------+-------------+--------------------------------------+
///  a payload of 0xFFFFFF bytes continues in the next packet (which may be empty)
/// ```
///
/// The server starts with its greeting (sequence 0, protocol 10); the client answers with its login (sequence
/// 1). When the login is a 32-byte SSL request (capability `CLIENT_SSL`), both sides continue with TLS records
/// (framed as `tls`): on the client side after that request, on the server side when TLS bytes follow the
/// greeting. Checked: no empty payload except after a full one. A client packet with sequence 0 starts a
/// command (a request, except `COM_QUIT`, `COM_STMT_CLOSE` and `COM_STMT_SEND_LONG_DATA`, which get no answer);
/// a server packet with sequence 1 starts its response.
struct MySQLLayout: FrameLayout {
    static let commands: [UInt8: String] = [
        0x01: "COM_QUIT", 0x02: "COM_INIT_DB", 0x03: "COM_QUERY", 0x04: "COM_FIELD_LIST", 0x08: "COM_STATISTICS",
        0x0E: "COM_PING", 0x11: "COM_CHANGE_USER", 0x16: "COM_STMT_PREPARE", 0x17: "COM_STMT_EXECUTE",
        0x18: "COM_STMT_SEND_LONG_DATA", 0x19: "COM_STMT_CLOSE", 0x1A: "COM_STMT_RESET", 0x1B: "COM_SET_OPTION",
        0x1C: "COM_STMT_FETCH", 0x1F: "COM_RESET_CONNECTION",
    ]

    let direction: Direction?
    private var packets = 0
    private var previousLength: UInt64 = 0
    private var sslRequested = false
    private var tls: TLSRecordLayout?

    init(direction: Direction?) {
        self.direction = direction
    }

    var headLimit: Int { 4 + 32 }

    mutating func head(in buffer: FramingBuffer, at offset: UInt64) throws(FramingError) -> FrameHead? {
        if let tls { return try tls.head(in: buffer, at: offset) }
        if packets == 1 || sslRequested, buffer.mayStart(with: [0x16, 0x03]) {
            guard buffer.readableBytes >= 4 else { return nil }
            // After an SSL request, or TLS bytes right after the greeting: a packet with sequence 2 would be the
            // server's answer to the login instead.
            if sslRequested || (direction != .clientToServer && buffer.byte(at: 3) != 2) {
                tls = TLSRecordLayout()
                return try tls?.head(in: buffer, at: offset)
            }
        }
        guard let length = buffer.littleEndian(at: 0, count: 3), let sequence = buffer.byte(at: 3) else { return nil }
        guard length > 0 || previousLength == 0xFF_FFFF else {
            throw FramingError(offset: offset, reason: "MySQL packet \(sequence) has an empty payload")
        }
        let peek = Int(min(length, 32))
        guard buffer.readableBytes >= 4 + peek else { return nil }
        let first = buffer.byte(at: 4)
        var summary: String?
        var exchange: MessageExchange?
        let continued = previousLength == 0xFF_FFFF
        if direction == .clientToServer, sequence == 1, length == 32,
            let capabilities = buffer.littleEndian(at: 4, count: 4), capabilities & 0x800 != 0
        {
            sslRequested = true
            summary = "SSL request"
        } else if direction == .clientToServer, sequence == 0, !continued, let first {
            let name = Self.commands[first] ?? "command 0x" + String(first, radix: 16)
            summary = name
            if first == 0x03 || first == 0x16 {
                summary = name + " " + SummaryText.escaped(buffer.bytes(5..<(4 + peek)))
            }
            if ![0x01, 0x18, 0x19].contains(first) { exchange = .request(key: 0) }
        } else if direction == .serverToClient, !continued, let first {
            if sequence == 0 && packets == 0 && first == 10 {
                summary = "greeting"
            } else if first == 0x00 && sequence > 0 {
                summary = "OK"
            } else if first == 0xFF {
                summary = "ERR"
            } else if first == 0xFE && length < 9 {
                summary = "EOF"
            }
            if sequence == 1 { exchange = .response(key: 0) }
        }
        packets += 1
        previousLength = length
        return FrameHead(length: 4 + length, summary: summary, exchange: exchange)
    }
}
