/// Frames DNS over TCP (`dns-tcp`, RFC 1035 §4.2.2, RFC 7766): a 2-byte length, then one DNS message.
///
/// ```
///  +----------------+--------+-------+---------------------------------------------+
///  | length (2, BE) | id (2) | flags | rest of the DNS message (length - 4 bytes)  |
///  |                |        | QR..  |                                             |
///  +----------------+--------+-------+---------------------------------------------+
/// ```
///
/// A message shorter than the 12-byte DNS header is an error. Queries (QR = 0) are requests and responses
/// (QR = 1) answer the query with the same id: `MessageExchange` keys are the ids.
struct DNSTCPLayout: FrameLayout {
    var headLimit: Int { 6 }

    func head(in buffer: FramingBuffer, at offset: UInt64) throws(FramingError) -> FrameHead? {
        guard let length = buffer.bigEndian(at: 0, count: 2) else { return nil }
        guard length >= 12 else {
            throw FramingError(
                offset: offset,
                reason: "DNS message of \(length) bytes is shorter than its 12-byte header"
            )
        }
        guard let id = buffer.bigEndian(at: 2, count: 2), let flags = buffer.byte(at: 4) else { return nil }
        let isResponse = flags & 0x80 != 0
        return FrameHead(
            length: 2 + length,
            summary: (isResponse ? "response " : "query ") + "0x" + String(id, radix: 16),
            exchange: isResponse ? .response(key: id) : .request(key: id)
        )
    }
}
