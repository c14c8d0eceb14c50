/// How a framing pairs requests with responses (`FramingSpec.pairing`), for the `unanswered` verdict.
///
/// The framer marks each message's part in an exchange (`FramedMessage.exchange`); pairing is then arithmetic
/// over the two directions' messages: `unanswered(requests:responses:)`.
public enum MessagePairing: String, Hashable, Sendable, CustomStringConvertible {
    /// Responses come in the order of the requests (HTTP/1 pipelining, RESP, memcache, PostgreSQL, MySQL).
    case inOrder = "in-order"
    /// Requests and responses carry an identifier (DNS id, Kafka correlation id, HTTP/2 stream, MQTT packet id).
    case byKey = "by-key"

    public var description: String { rawValue }

    /// The indices (into `requests`) of the request messages that no message of `responses` answers.
    ///
    /// `requests` are one direction's messages and `responses` the other direction's, each in stream order
    /// (messages without an exchange, and responses among `requests`, are ignored). The first response with key
    /// K answers the first request with key K, the second the second, and so on; a request is unanswered when
    /// its key runs out of responses. Call it once per direction for protocols where both sides ask (MQTT).
    public static func unanswered(requests: [FramedMessage], responses: [FramedMessage]) -> [Int] {
        var answers: [UInt64: Int] = [:]
        for message in responses {
            if case .response(let key) = message.exchange { answers[key, default: 0] += 1 }
        }
        var unanswered: [Int] = []
        for (index, message) in requests.enumerated() {
            guard case .request(let key) = message.exchange else { continue }
            if let left = answers[key], left > 0 {
                answers[key] = left - 1
            } else {
                unanswered.append(index)
            }
        }
        return unanswered
    }
}
