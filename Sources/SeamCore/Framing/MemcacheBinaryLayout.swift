/// Frames memcached's binary protocol (the `memcache` framing when a stream starts with 0x80 or 0x81).
///
/// ```
///  +-------+--------+---------+--------+----------+----------------+------------+--------+--------+-----
///  | magic | opcode | key len | extras | datatype | vbucket/status | total body | opaque | cas    | body
///  | 1     | 1      | 2       | 1      | 1        | 2              | 4, BE      | 4      | 8      |
///  +-------+--------+---------+--------+----------+----------------+------------+--------+--------+-----
///  magic 0x80 request, 0x81 response; the message is 24 + total body bytes
/// ```
///
/// Checked: every message has a magic byte, and its key and extras fit in its body. Requests and responses
/// pair by `opaque`.
struct MemcacheBinaryLayout: FrameLayout {
    static let names: [UInt8: String] = [
        0x00: "Get", 0x01: "Set", 0x02: "Add", 0x03: "Replace", 0x04: "Delete", 0x05: "Increment",
        0x06: "Decrement", 0x07: "Quit", 0x08: "Flush", 0x09: "GetQ", 0x0A: "No-op", 0x0B: "Version",
        0x0C: "GetK", 0x0D: "GetKQ", 0x0E: "Append", 0x0F: "Prepend", 0x10: "Stat", 0x1C: "Touch",
    ]

    var headLimit: Int { 24 }

    func head(in buffer: FramingBuffer, at offset: UInt64) throws(FramingError) -> FrameHead? {
        guard let magic = buffer.byte(at: 0) else { return nil }
        guard magic == 0x80 || magic == 0x81 else {
            throw FramingError(
                offset: offset,
                reason: "byte 0x\(String(magic, radix: 16)) is not a memcache binary magic"
            )
        }
        guard buffer.readableBytes >= 24, let opcode = buffer.byte(at: 1),
            let keyLength = buffer.bigEndian(at: 2, count: 2), let extras = buffer.byte(at: 4),
            let body = buffer.bigEndian(at: 8, count: 4), let opaque = buffer.bigEndian(at: 12, count: 4)
        else { return nil }
        guard keyLength + UInt64(extras) <= body else {
            throw FramingError(
                offset: offset,
                reason: "memcache key (\(keyLength)) and extras (\(extras)) overrun the \(body)-byte body"
            )
        }
        let name = Self.names[opcode] ?? "opcode 0x" + String(opcode, radix: 16)
        let isRequest = magic == 0x80
        return FrameHead(
            length: 24 + body,
            summary: isRequest ? name : name + " response",
            exchange: isRequest ? .request(key: opaque) : .response(key: opaque)
        )
    }
}
