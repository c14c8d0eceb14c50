/// Frames MQTT control packets (`mqtt`; MQTT 3.1, 3.1.1 and 5.0).
///
/// ```
///  +-------------+-------------------+-------------------------------------------+
///  | type  flags | remaining length  | variable header and payload               |
///  | 4 bits 4    | 1-4 bytes, LEB128 | remaining length bytes                    |
///  +-------------+-------------------+-------------------------------------------+
///  1 CONNECT  2 CONNACK  3 PUBLISH  4 PUBACK  5 PUBREC  6 PUBREL  7 PUBCOMP  8 SUBSCRIBE  9 SUBACK
///  10 UNSUBSCRIBE  11 UNSUBACK  12 PINGREQ  13 PINGRESP  14 DISCONNECT  15 AUTH
/// ```
///
/// Checked: the type is not 0, the flags are the ones the type requires (PUBLISH's QoS is not 3; PUBREL,
/// SUBSCRIBE and UNSUBSCRIBE carry 0b0010), the Remaining Length is at most 4 bytes, PINGREQ/PINGRESP are
/// empty, and — when the direction is known — that the sender may send that type (a client never sends CONNACK).
/// Exchanges are keyed by the packet identifier: PUBLISH (QoS 1, 2) is answered by PUBACK or PUBREC, PUBREL
/// by PUBCOMP, SUBSCRIBE by SUBACK, UNSUBSCRIBE by UNSUBACK; CONNECT by CONNACK and PINGREQ by PINGRESP.
struct MQTTLayout: FrameLayout {
    let direction: Direction?

    static let names = [
        "reserved", "CONNECT", "CONNACK", "PUBLISH", "PUBACK", "PUBREC", "PUBREL", "PUBCOMP", "SUBSCRIBE", "SUBACK",
        "UNSUBSCRIBE", "UNSUBACK", "PINGREQ", "PINGRESP", "DISCONNECT", "AUTH",
    ]
    /// The longest topic read for a summary and a PUBLISH packet id.
    static let topicLimit = 1024

    var headLimit: Int { 5 + 2 + Self.topicLimit + 2 }

    func head(in buffer: FramingBuffer, at offset: UInt64) throws(FramingError) -> FrameHead? {
        guard let first = buffer.byte(at: 0) else { return nil }
        let type = Int(first >> 4)
        let flags = first & 0x0F
        try check(type: type, flags: flags, at: offset)
        let remaining: UInt64
        let width: Int
        switch LengthField.mqttvar.read(in: buffer, at: 1) {
        case .needMore: return nil
        case .invalid(let reason): throw FramingError(offset: offset + 1, reason: reason)
        case .value(let value, let size):
            remaining = UInt64(value)
            width = size
        }
        let headerSize = 1 + width
        if (type == 12 || type == 13) && remaining != 0 {
            throw FramingError(offset: offset, reason: "\(Self.names[type]) with \(remaining) bytes after its header")
        }
        if [2, 4, 5, 6, 7].contains(type) && remaining < 2 || type == 1 && remaining < 10 {
            throw FramingError(offset: offset, reason: "\(Self.names[type]) of \(remaining) bytes is too short")
        }
        let total = UInt64(headerSize) + remaining
        var summary = Self.names[type]
        var exchange: MessageExchange?
        switch type {
        case 1: exchange = .request(key: 1 << 16)
        case 2: exchange = .response(key: 1 << 16)
        case 12: exchange = .request(key: 12 << 16)
        case 13: exchange = .response(key: 12 << 16)
        case 3:
            guard let topicLength = buffer.bigEndian(at: headerSize, count: 2) else {
                if remaining < 2 { throw FramingError(offset: offset, reason: "PUBLISH without a topic") }
                return nil
            }
            let qos = (flags >> 1) & 0x03
            let needed = 2 + Int(topicLength) + (qos > 0 ? 2 : 0)
            guard UInt64(needed) <= remaining else {
                throw FramingError(offset: offset, reason: "PUBLISH topic of \(topicLength) bytes overruns the packet")
            }
            if topicLength <= Self.topicLimit {
                guard buffer.readableBytes >= headerSize + needed else { return nil }
                let topic = buffer.bytes((headerSize + 2)..<(headerSize + 2 + Int(topicLength)))
                summary += " " + SummaryText.escaped(topic)
                if qos > 0, let id = buffer.bigEndian(at: headerSize + 2 + Int(topicLength), count: 2) {
                    exchange = .request(key: 3 << 16 | id)
                }
            }
        case 4, 5, 6, 7, 8, 9, 10, 11:
            guard let id = buffer.bigEndian(at: headerSize, count: 2) else {
                if remaining < 2 { return FrameHead(length: total, summary: summary) }
                return nil
            }
            switch type {
            case 4, 5: exchange = .response(key: 3 << 16 | id)
            case 6: exchange = .request(key: 6 << 16 | id)
            case 7: exchange = .response(key: 6 << 16 | id)
            case 8, 10: exchange = .request(key: UInt64(type) << 16 | id)
            default: exchange = .response(key: UInt64(type - 1) << 16 | id)
            }
        default:
            break
        }
        return FrameHead(length: total, summary: summary, exchange: exchange)
    }

    /// The type and flags rules of MQTT §2.1.3, and who may send what.
    private func check(type: Int, flags: UInt8, at offset: UInt64) throws(FramingError) {
        guard type != 0 else {
            throw FramingError(offset: offset, reason: "MQTT packet type 0 is reserved")
        }
        let required: UInt8? = type == 3 ? nil : ([6, 8, 10].contains(type) ? 2 : 0)
        if let required, flags != required {
            throw FramingError(
                offset: offset,
                reason: "MQTT \(Self.names[type]) with flags 0x\(String(flags, radix: 16)) (must be \(required))"
            )
        }
        if type == 3 && (flags >> 1) & 0x03 == 3 {
            throw FramingError(offset: offset, reason: "MQTT PUBLISH with QoS 3")
        }
        switch direction {
        case .clientToServer? where [2, 9, 11, 13].contains(type),
            .serverToClient? where [1, 8, 10, 12].contains(type):
            let sender = direction == .clientToServer ? "client" : "server"
            throw FramingError(offset: offset, reason: "MQTT \(Self.names[type]) sent by the \(sender)")
        default:
            break
        }
    }
}
