/// Frames HTTP/2 connections (`http2`, RFC 9113): the client preface, then frames. Also the h2c upgrade
/// (RFC 7540 §3.2): an HTTP/1.1 request with `Upgrade: h2c` and the server's 101 are messages of their own.
///
/// ```
///  client preface: "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" (24 bytes, one message)
///  frame:
///  +-----------------------------------------------+
///  |                 Length (24)                   |
///  +---------------+---------------+---------------+
///  |   Type (8)    |   Flags (8)   |
///  +-+-------------+---------------+-------------------------------+
///  |R|                 Stream Identifier (31)                      |
///  +=+=============================================================+
///  |                   Frame Payload (Length bytes)              ...
///  +---------------------------------------------------------------+
/// ```
///
/// One frame is one message (as tshark's `http2.type`). Checked, byte by byte as the header arrives: the type
/// is one of DATA … CONTINUATION, ALTSVC, ORIGIN or PRIORITY_UPDATE; frames that belong to the connection
/// (SETTINGS, PING, GOAWAY) are on stream 0 and stream frames are not; fixed-size frames have their size.
/// Exchanges are keyed by stream: a client HEADERS opening a new stream is a request, a server HEADERS on a
/// client stream a response.
struct HTTP2FrameLayout: FrameLayout {
    enum Phase: Hashable, Sendable {
        /// Preface, h2c upgrade head, or (a capture that began later, the server side) a frame.
        case start
        /// After the h2c upgrade request: the preface comes next.
        case preface
        case frames
    }

    static let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)
    static let names: [UInt8: String] = [
        0: "DATA", 1: "HEADERS", 2: "PRIORITY", 3: "RST_STREAM", 4: "SETTINGS", 5: "PUSH_PROMISE", 6: "PING",
        7: "GOAWAY", 8: "WINDOW_UPDATE", 9: "CONTINUATION", 0x0A: "ALTSVC", 0x0C: "ORIGIN", 0x10: "PRIORITY_UPDATE",
    ]

    let direction: Direction?
    private(set) var phase = Phase.start
    private var scanner = HTTPHeadScanner()
    /// The highest client stream a client HEADERS opened (stream ids only grow).
    private var lastClientStream: UInt64 = 0
    /// Client streams the server has answered, to mark only its first HEADERS of each as a response.
    private var answered = Set<UInt64>()

    init(direction: Direction?) {
        self.direction = direction
    }

    var headLimit: Int { phase == .frames ? 9 : HTTPHeadScanner.limit }

    /// The frame header at the reader, once its 9 bytes are in (`nil` before), after checking it.
    struct FrameHeader: Hashable {
        var length: UInt64
        var type: UInt8
        var flags: UInt8
        var stream: UInt64
    }

    mutating func head(in buffer: FramingBuffer, at offset: UInt64) throws(FramingError) -> FrameHead? {
        switch phase {
        case .start, .preface:
            if buffer.mayStart(with: Self.preface) {
                guard buffer.readableBytes >= Self.preface.count else { return nil }
                phase = .frames
                return FrameHead(length: UInt64(Self.preface.count), summary: "preface")
            }
            if phase == .preface {
                throw FramingError(offset: offset, reason: "the HTTP/2 client preface does not follow the h2c upgrade")
            }
            if let first = buffer.byte(at: 0), first >= UInt8(ascii: "A"), first <= UInt8(ascii: "Z") {
                return try upgradeHead(in: buffer, at: offset)
            }
            phase = .frames
        case .frames:
            break
        }
        guard let header = try Self.frameHeader(in: buffer, at: offset) else { return nil }
        let name = Self.names[header.type] ?? "frame"
        var summary = header.stream == 0 ? name : "\(name) s=\(header.stream)"
        if header.type == 4 && header.flags & 1 != 0 { summary += " ack" }
        var exchange: MessageExchange?
        if header.type == 1 && header.stream % 2 == 1 {
            if direction == .clientToServer && header.stream > lastClientStream {
                lastClientStream = header.stream
                exchange = .request(key: header.stream)
            } else if direction == .serverToClient && !answered.contains(header.stream) {
                if answered.count >= 4096 { answered.removeAll() }
                answered.insert(header.stream)
                exchange = .response(key: header.stream)
            }
        }
        return FrameHead(length: 9 + header.length, summary: summary, exchange: exchange)
    }

    /// An HTTP/1.1 head of the h2c upgrade: the client's request (with `Upgrade: h2c`) or the server's 101.
    private mutating func upgradeHead(in buffer: FramingBuffer, at offset: UInt64) throws(FramingError) -> FrameHead? {
        guard let end = scanner.headEnd(in: buffer) else { return nil }
        let bytes = buffer.bytes(0..<end)
        let head = try HTTP1Head(parsing: bytes, at: offset)
        let summary = SummaryText.escaped(head.startLine, limit: 64)
        if let status = head.status {
            guard status == 101 else {
                throw FramingError(offset: offset, reason: "the server answered HTTP \(status), not 101 for h2c")
            }
            phase = .frames
            return FrameHead(length: UInt64(end), summary: summary)
        }
        guard HTTPHeadScanner.header("upgrade", in: bytes, contains: "h2c") else {
            throw FramingError(offset: offset, reason: "HTTP/1 request \"\(summary)\" without Upgrade: h2c")
        }
        var length = UInt64(end)
        switch head.body {
        case .length(let body): length += body
        case .none: break
        default: throw FramingError(offset: offset, reason: "h2c upgrade request with a chunked body")
        }
        phase = .preface
        // The upgraded request is stream 1; the server's HEADERS on stream 1 answers it.
        lastClientStream = 1
        return FrameHead(length: length, summary: summary, exchange: .request(key: 1))
    }

    /// Reads and checks a frame header; `nil` until all 9 bytes are in (but a bad type fails at once).
    static func frameHeader(in buffer: FramingBuffer, at offset: UInt64) throws(FramingError) -> FrameHeader? {
        guard let type = buffer.byte(at: 3) else { return nil }
        guard let name = names[type] else {
            throw FramingError(offset: offset + 3, reason: "HTTP/2 frame type 0x\(String(type, radix: 16)) is unknown")
        }
        guard let length = buffer.bigEndian(at: 0, count: 3), let flags = buffer.byte(at: 4),
            let raw = buffer.bigEndian(at: 5, count: 4)
        else { return nil }
        let stream = raw & 0x7FFF_FFFF
        let onConnection: Bool? =
            switch type {
            case 4, 6, 7, 0x0C, 0x10: true
            case 0, 1, 2, 3, 5, 9: false
            default: nil
            }
        if let onConnection, onConnection != (stream == 0) {
            throw FramingError(
                offset: offset,
                reason: "HTTP/2 \(name) on stream \(stream): it belongs \(onConnection ? "to stream 0" : "to a stream")"
            )
        }
        let sizeIsWrong: Bool =
            switch type {
            case 2: length != 5
            case 3, 8: length != 4
            case 6: length != 8
            case 4: length % 6 != 0 || (flags & 1 != 0 && length != 0)
            case 7: length < 8
            default: false
            }
        if sizeIsWrong {
            throw FramingError(offset: offset, reason: "HTTP/2 \(name) frame of \(length) bytes has the wrong size")
        }
        return FrameHeader(length: length, type: type, flags: flags, stream: stream)
    }
}
