/// A message's part in a request/response exchange, for the framings that pair them (`FramingSpec.pairing`).
///
/// A request expects an answer from the other direction; a response answers one. Both carry a key: requests
/// and responses with the same key pair up in order (the first response with key K answers the first request
/// with key K). Protocols that number their exchanges use the number (DNS ids, Kafka correlation ids, HTTP/2
/// stream ids, MQTT packet ids); protocols that answer in order (HTTP/1, RESP, memcache, PostgreSQL, MySQL)
/// use key 0 for all. Messages that are neither (a PostgreSQL `Bind` before its `Sync`, a MySQL row, a
/// memcache `noreply` command, a TLS record) have no exchange.
public enum MessageExchange: Hashable, Sendable, CustomStringConvertible {
    /// Expects an answer with the same key from the other direction.
    case request(key: UInt64)
    /// Answers the oldest unanswered request with the same key from the other direction.
    case response(key: UInt64)

    /// The pairing key.
    public var key: UInt64 {
        switch self {
        case .request(let key), .response(let key): return key
        }
    }

    /// Whether this is a request.
    public var isRequest: Bool {
        if case .request = self { return true }
        return false
    }

    /// `request` or `response`, with `#KEY` when the key is not 0.
    public var description: String {
        let name = isRequest ? "request" : "response"
        return key == 0 ? name : "\(name) #\(key)"
    }
}
