/// Frames WebSocket connections (`websocket`, RFC 6455): the HTTP/1.1 upgrade, then frames.
///
/// ```
///  handshake:  GET /chat HTTP/1.1 ... Upgrade: websocket ... CRLF CRLF      (client, one message)
///              HTTP/1.1 101 Switching Protocols ... CRLF CRLF               (server, one message)
///  frames:
///   0                   1                   2                   3
///  +-+-+-+-+-------+-+-------------+-------------------------------+
///  |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
///  |I|S|S|S|  (4)  |A|     (7)     |   (16 if len = 126, 64 if 127) |
///  |N|V|V|V|       |S|             |                               |
///  +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
///  | Masking key (4 bytes, if MASK)  |  Payload data (len bytes)  ...
///  +---------------------------------+-------------------------------
/// ```
///
/// One frame is one message (as tshark's `websocket.opcode`); fragments of one WebSocket message are frames
/// of their own. Checked: the request asks for `Upgrade: websocket` and the server answers 101; opcodes are
/// 0-2 and 8-10, RSV2 and RSV3 are clear (RSV1 is permessage-deflate's), control frames are final and at most
/// 125 bytes, a 64-bit length has its top bit clear, and — with a direction — client frames are masked and
/// server frames are not.
struct WebSocketLayout: FrameLayout {
    enum Phase: Hashable, Sendable {
        case handshake
        case frames
    }

    static let opcodeNames: [UInt8: String] = [
        0: "continuation", 1: "text", 2: "binary", 8: "close", 9: "ping", 10: "pong",
    ]

    let direction: Direction?
    private(set) var phase = Phase.handshake
    private var scanner = HTTPHeadScanner()

    init(direction: Direction?) {
        self.direction = direction
    }

    var headLimit: Int { phase == .handshake ? HTTPHeadScanner.limit : 14 }

    mutating func head(in buffer: FramingBuffer, at offset: UInt64) throws(FramingError) -> FrameHead? {
        phase == .handshake ? try handshake(in: buffer, at: offset) : try frame(in: buffer, at: offset)
    }

    private mutating func handshake(in buffer: FramingBuffer, at offset: UInt64) throws(FramingError) -> FrameHead? {
        guard let end = scanner.headEnd(in: buffer) else { return nil }
        let bytes = buffer.bytes(0..<end)
        let head = try HTTP1Head(parsing: bytes, at: offset)
        let summary = SummaryText.escaped(head.startLine, limit: 64)
        phase = .frames
        if let status = head.status {
            guard direction != .clientToServer else {
                throw FramingError(offset: offset, reason: "a WebSocket client does not send an HTTP response")
            }
            guard status == 101 else {
                throw FramingError(
                    offset: offset,
                    reason: "the server answered HTTP \(status), not 101 Switching Protocols"
                )
            }
            return FrameHead(length: UInt64(end), summary: summary, exchange: .response(key: 0))
        }
        guard direction != .serverToClient else {
            throw FramingError(offset: offset, reason: "a WebSocket server does not send an HTTP request")
        }
        guard HTTPHeadScanner.header("upgrade", in: bytes, contains: "websocket") else {
            throw FramingError(
                offset: offset,
                reason: "HTTP request \"\(summary)\" does not ask for Upgrade: websocket"
            )
        }
        return FrameHead(length: UInt64(end), summary: summary, exchange: .request(key: 0))
    }

    private func frame(in buffer: FramingBuffer, at offset: UInt64) throws(FramingError) -> FrameHead? {
        guard let first = buffer.byte(at: 0) else { return nil }
        let opcode = first & 0x0F
        guard let name = Self.opcodeNames[opcode] else {
            throw FramingError(offset: offset, reason: "WebSocket opcode 0x\(String(opcode, radix: 16)) is reserved")
        }
        guard first & 0x30 == 0 else {
            throw FramingError(offset: offset, reason: "WebSocket frame with RSV2 or RSV3 set")
        }
        guard let second = buffer.byte(at: 1) else { return nil }
        let masked = second & 0x80 != 0
        if direction == .clientToServer && !masked || direction == .serverToClient && masked {
            let sender = direction == .clientToServer ? "client" : "server"
            throw FramingError(
                offset: offset,
                reason: "WebSocket frame from the \(sender) is \(masked ? "" : "not ")masked"
            )
        }
        var length = UInt64(second & 0x7F)
        var header = 2
        if length == 126 {
            guard let extended = buffer.bigEndian(at: 2, count: 2) else { return nil }
            length = extended
            header = 4
        } else if length == 127 {
            guard let extended = buffer.bigEndian(at: 2, count: 8) else { return nil }
            guard extended >> 63 == 0 else {
                throw FramingError(offset: offset, reason: "WebSocket 64-bit length has its top bit set")
            }
            length = extended
            header = 10
        }
        if opcode >= 8 && (first & 0x80 == 0 || length > 125) {
            throw FramingError(offset: offset, reason: "WebSocket \(name) frame is fragmented or longer than 125 bytes")
        }
        if masked { header += 4 }
        return FrameHead(length: UInt64(header) + length, summary: name)
    }
}
