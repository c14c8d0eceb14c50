extension FramingSpec {
    /// Why a stream that starts with `bytes` cannot be one of this framing's streams from its beginning, or `nil`
    /// when it may be. `FramingDetector` drops a candidate whose start does not fit, so a lenient decoder
    /// (RESP's inline commands, `line` on binary bytes, HTTP/2 without its preface) does not claim streams of
    /// other protocols. Only as many bytes as are given are judged (a prefix that may still become the
    /// signature passes).
    func startMismatch(_ bytes: [UInt8], direction: Direction?) -> String? {
        guard let first = bytes.first else { return nil }
        var buffer = FramingBuffer()
        buffer.attach(bytes[...])
        let client = direction != .serverToClient
        let server = direction != .clientToServer
        func byte(_ index: Int) -> UInt8? { index < bytes.count ? bytes[index] : nil }
        func starts(_ text: String) -> Bool { buffer.mayStart(with: Array(text.utf8)) }
        switch self {
        case .tls:
            guard first == 21 || first == 22, byte(1).map({ $0 == 3 }) ?? true else {
                return "a TLS stream starts with a handshake or alert record (0x16 0x03 or 0x15 0x03)"
            }
        case .http2, .grpc:
            let clientStart =
                client && (starts(String(decoding: HTTP2FrameLayout.preface, as: UTF8.self)) || isMethod(bytes))
            let serverStart = server && ((byte(3).map { $0 == 4 } ?? true) && first == 0 || starts("HTTP/1.1 101"))
            guard clientStart || serverStart else {
                return "an HTTP/2 stream starts with the client preface, an h2c upgrade, or the server's SETTINGS"
            }
        case .websocket:
            guard client && starts("GET ") || server && starts("HTTP/1.1 101") else {
                return "a WebSocket stream starts with its GET upgrade request or the server's 101"
            }
        case .http1:
            guard isMethod(bytes) || starts("HTTP/1.") || first == 0x0D || first == 0x0A else {
                return "an HTTP/1 stream starts with a request method or HTTP/1.x"
            }
        case .mqtt:
            guard client && first == 0x10 || server && first == 0x20 else {
                return "an MQTT stream starts with CONNECT (0x10) or CONNACK (0x20)"
            }
        case .pgsql:
            let clientStart = client && first == 0 && (byte(1).map { $0 == 0 } ?? true)
            let serverStart = server && "SNREv".utf8.contains(first)
            guard clientStart || serverStart else {
                return "a PostgreSQL stream starts with a startup packet (00 00 …), SSLRequest or the server's answer"
            }
        case .mysql:
            let serverStart =
                server && (byte(3).map { $0 == 0 } ?? true) && (byte(4).map { $0 == 10 || $0 == 0xFF } ?? true)
            let clientStart = client && (byte(3).map { $0 == 1 } ?? true)
            guard serverStart || clientStart else {
                return
                    "a MySQL stream starts with the server's greeting (sequence 0, protocol 10) or the login (sequence 1)"
            }
        case .memcache:
            guard first == 0x80 || first == 0x81 || startsWithMemcacheWord(bytes, direction: direction) else {
                return "a memcache stream starts with a command or response word"
            }
        case .resp:
            guard "*$+-:_#,(!=%~>|".utf8.contains(first) else {
                return "a RESP stream starts with a type byte (* $ + - : …)"
            }
        case .dnsTCP:
            if let opcode = byte(4).map({ ($0 >> 3) & 0x0F }), ![0, 1, 2, 4, 5, 6].contains(opcode) {
                return "a DNS message's opcode \(opcode) is unassigned"
            }
            if let high = byte(6), let low = byte(7), high != 0 || low != 1 {
                return "a DNS message over TCP asks one question (its QDCOUNT is \(Int(high) << 8 | Int(low)))"
            }
        case .jsonHeader:
            if let brace = byte(4), brace != UInt8(ascii: "{") {
                return "the seed's JSON header starts with { after its 4-byte length"
            }
        case .line, .crlf:
            guard bytes.prefix(64).allSatisfy({ ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 })
            else {
                return "the first bytes are not text"
            }
        case .lineLength, .lengthPrefixed(LengthPrefix(field: .dec)):
            guard first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9") || !isDecimalStart else {
                return "the stream does not start with a decimal length"
            }
        default:
            break
        }
        return nil
    }

    private var isDecimalStart: Bool {
        switch self {
        case .lineLength(let layout): return layout.word == 0
        case .lengthPrefixed(let prefix): return prefix.field == .dec && prefix.offset == 0
        default: return false
        }
    }

    private func isMethod(_ bytes: [UInt8]) -> Bool {
        let methods = ["GET ", "POST ", "PUT ", "DELETE ", "HEAD ", "OPTIONS ", "PATCH ", "CONNECT ", "TRACE ", "PRI "]
        var buffer = FramingBuffer()
        buffer.attach(bytes[...])
        return methods.contains { buffer.mayStart(with: Array($0.utf8)) && bytes.count >= min(3, $0.count) }
    }

    private func startsWithMemcacheWord(_ bytes: [UInt8], direction: Direction?) -> Bool {
        let wordBytes = bytes.prefix { $0 != 0x20 && $0 != 0x0D && $0 != 0x0A }
        let isWordByte = { (byte: UInt8) in
            byte == UInt8(ascii: "_") || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
        }
        guard wordBytes.count <= 16, wordBytes.allSatisfy(isWordByte) else { return false }
        let word = String(decoding: wordBytes, as: UTF8.self)
        guard word.count < bytes.count else { return true }  // the first word is not over yet
        let commands = MemcacheDecoder.commands.union(MemcacheDecoder.storageCommands).union(["ms"])
        let replies = MemcacheDecoder.replies.union(["VALUE", "STAT", "END", "VA", "ITEM"])
        return direction != .serverToClient && commands.contains(word)
            || direction != .clientToServer
                && (replies.contains(word) || LineScanner.number(Array(word.utf8)[...]) != nil)
    }

    /// How much a fit of this framing says, for ranking fits: a protocol with a recognisable start and checked
    /// fields (3) over one that checks less (2: HTTP/1, RESP; 1: protobuf, Kafka responses, decimal lengths,
    /// text lines) over a generic length layout (0). gRPC ranks above HTTP/2 only when it found gRPC messages.
    func detectionTier(direction: Direction?, grpcMessages: Int) -> Int {
        switch self {
        case .tls, .http2, .websocket, .mqtt, .pgsql, .mysql, .memcache, .jsonHeader, .dnsTCP: return 3
        case .grpc: return grpcMessages > 0 ? 4 : -1
        case .kafka: return direction == .clientToServer ? 3 : 1
        case .http1, .resp: return 2
        case .protobuf, .lineLength, .line, .crlf: return 1
        case .lengthPrefixed(let prefix): return prefix.field == .dec ? 1 : 0
        case .firstThen(_, let then): return then.detectionTier(direction: direction, grpcMessages: grpcMessages)
        default: return 0
        }
    }
}
