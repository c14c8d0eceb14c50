extension FramingSpec {
    /// A new decoder for this framing, at the start of a stream; `direction` (when known) lets the protocol
    /// decoders check each side's own rules and mark requests and responses.
    func makeDecoder(direction: Direction? = nil) -> any MessageDecoder {
        switch self {
        case .line, .crlf, .delimiter: return DelimiterDecoder(delimiter: delimiter ?? [])
        case .lengthPrefixed, .pythonStruct:
            return LengthFieldDecoder(prefix: lengthPrefix ?? LengthPrefix(field: .u8))
        case .lineLength(let layout): return LineLengthDecoder(layout: layout)
        case .fixed(let size): return FixedSizeDecoder(size: size)
        case .jsonHeader: return JSONHeaderDecoder()
        case .resp: return RESPDecoder(direction: direction)
        case .http1: return HTTP1Decoder()
        case .dnsTCP: return FrameDecoder(layout: DNSTCPLayout())
        case .tls: return FrameDecoder(layout: TLSRecordLayout())
        case .http2: return FrameDecoder(layout: HTTP2FrameLayout(direction: direction))
        case .grpc: return GRPCDecoder(direction: direction)
        case .websocket: return FrameDecoder(layout: WebSocketLayout(direction: direction))
        case .mqtt: return FrameDecoder(layout: MQTTLayout(direction: direction))
        case .pgsql: return FrameDecoder(layout: PostgresLayout(direction: direction))
        case .mysql: return FrameDecoder(layout: MySQLLayout(direction: direction))
        case .kafka: return FrameDecoder(layout: KafkaLayout(direction: direction))
        case .memcache: return MemcacheDecoder(direction: direction)
        case .protobuf: return FrameDecoder(layout: ProtobufLayout())
        case .firstThen(let first, let then):
            return FirstThenDecoder(
                first: first.makeDecoder(direction: direction),
                then: then.makeDecoder(direction: direction)
            )
        case .sends, .segments, .noMessages: return NoMessageDecoder()
        }
    }

    /// The Wireshark dissector a session's call payloads can be handed to (the exported PDU's dissector name)
    /// when its messages stand alone, without TCP's reassembly: `http` for HTTP/1; `nil` for the others, whose
    /// Wireshark dissectors need the TCP stream (their payloads show as `data`).
    public var wiresharkDissector: String? {
        switch self {
        case .http1: return "http"
        default: return nil
        }
    }

    /// How this framing pairs requests with responses (`FramedMessage.exchange`), or `nil` when it does not.
    public var pairing: MessagePairing? {
        switch self {
        case .http1, .resp, .memcache, .pgsql, .mysql, .websocket: return .inOrder
        case .dnsTCP, .kafka, .http2, .grpc, .mqtt: return .byKey
        case .firstThen(_, let then): return then.pairing
        default: return nil
        }
    }

    /// How to read this framing's messages correctly, for the fix of a verdict: one sentence, no trailing period
    /// doubled (it ends with one).
    public var fixHint: String {
        switch self {
        case .line:
            return "read until each LF and keep what follows it for the next line (a buffered reader such as "
                + "Python's sock.makefile().readline()); one recv is not one line."
        case .crlf:
            return "read until each CR LF and keep what follows it for the next line; one recv is not one line."
        case .delimiter(let bytes):
            return "read until each \(Self.escape(bytes[...])) and keep what follows it for the next message; "
                + "one recv is not one message."
        case .fixed(let size):
            return "loop on recv until all \(size) bytes of a message are in; one recv may return fewer or more."
        case .lengthPrefixed(let prefix):
            return "read the \(prefix.field.isVariableWidth ? "" : "\(prefix.headerSize)-byte ")header "
                + "(\(prefix.description)), then loop on recv until the whole length it announces is in."
        case .lineLength(let layout):
            return "read the line up to its LF, then loop on recv until the \(layout.word)th word's length "
                + "of data is in."
        case .pythonStruct:
            return "read exactly 4 bytes, n = struct.unpack('<i', header)[0], then loop on recv until n more "
                + "bytes are in."
        case .jsonHeader:
            return "read the 4-byte length, then that many bytes of JSON header, then loop on recv until "
                + "total_size body bytes are in."
        case .resp:
            return "parse replies with a RESP reader that keeps unparsed bytes between reads (hiredis, "
                + "redis-py); one recv is not one reply."
        case .http1:
            return "read the head up to its empty line, then exactly Content-Length bytes or every chunk; an "
                + "HTTP library does this for you."
        case .dnsTCP:
            return "read the 2-byte length, then loop on recv until that many bytes are in (RFC 7766); "
                + "a resolver library does this for you."
        case .tls:
            return "let the TLS library read the socket: it reads each 5-byte record header and waits for the "
                + "whole record; never treat one recv as one record or one message."
        case .http2, .grpc:
            return "read the 9-byte frame header, then exactly its 24-bit length of payload; gRPC messages "
                + "(5-byte prefix) may span DATA frames. An HTTP/2 or gRPC library does this for you."
        case .websocket:
            return "read the 2-byte frame header, its extended length and mask, then loop on recv until the "
                + "payload is in; a WebSocket library does this for you."
        case .mqtt:
            return "read the fixed header byte and the Remaining Length varint (1-4 bytes), then loop on recv "
                + "until that many bytes are in; an MQTT client library does this for you."
        case .pgsql:
            return "read the type byte and the 4-byte length (which counts itself), then loop on recv until "
                + "the whole message is in; the startup packet has no type byte, SSLRequest's answer is one byte."
        case .mysql:
            return "read the 4-byte packet header (3-byte little-endian length, sequence id), then loop on "
                + "recv until the payload is in; a payload of 16 MiB - 1 continues in the next packet."
        case .kafka:
            return "read the 4-byte big-endian size, then loop on recv until that many bytes are in; "
                + "match responses to requests by correlation id."
        case .memcache:
            return "read each line to its CR LF; after VALUE or a storage command read exactly its byte count "
                + "plus CR LF, and a get's answer runs to END."
        case .protobuf:
            return "read the varint length (parseDelimitedFrom, CodedInputStream), then loop on recv until "
                + "that many bytes are in."
        case .firstThen(let first, let then):
            return "frame the first message as \(first) (" + first.fixHint.dropLast() + "), the rest as \(then)."
        case .sends, .segments, .noMessages:
            return "TCP is a byte stream; frame your messages (e.g. a struct.pack('i', len) header) and read "
                + "until each is whole."
        }
    }
}
