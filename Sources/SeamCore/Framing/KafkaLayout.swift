/// Frames Kafka's wire protocol (`kafka`): size-prefixed requests (client to broker) and responses.
///
/// ```
///  request:   +--------------+-------------+-------------+----------------+---------------+------
///             | size (4, BE) | api_key (2) | version (2) | correlation (4)| client_id ... | body
///             +--------------+-------------+-------------+----------------+---------------+------
///  response:  +--------------+----------------+------------------------------------------------
///             | size (4, BE) | correlation (4)| body
///             +--------------+----------------+------------------------------------------------
///  size counts the bytes after itself
/// ```
///
/// Checked: the size is at most 100 MiB (the broker's default `socket.request.max.bytes`), and a request (the
/// client's side) has its 10-byte header with an API key below 100 and a version below 32. Requests and
/// responses pair by correlation id. Without a direction the two cannot be told apart (a response's small
/// correlation id reads as a plausible API key and version), so messages are framed by size only, unmarked.
struct KafkaLayout: FrameLayout {
    static let sizeLimit: UInt64 = 100 << 20
    static let names: [Int: String] = [
        0: "Produce", 1: "Fetch", 2: "ListOffsets", 3: "Metadata", 8: "OffsetCommit", 9: "OffsetFetch",
        10: "FindCoordinator", 11: "JoinGroup", 12: "Heartbeat", 13: "LeaveGroup", 14: "SyncGroup",
        15: "DescribeGroups", 16: "ListGroups", 17: "SaslHandshake", 18: "ApiVersions", 19: "CreateTopics",
        20: "DeleteTopics", 22: "InitProducerId", 32: "DescribeConfigs", 36: "SaslAuthenticate",
    ]

    let direction: Direction?

    init(direction: Direction?) {
        self.direction = direction
    }

    var headLimit: Int { 12 }

    func head(in buffer: FramingBuffer, at offset: UInt64) throws(FramingError) -> FrameHead? {
        guard let size = buffer.bigEndian(at: 0, count: 4) else { return nil }
        guard size <= Self.sizeLimit else {
            throw FramingError(offset: offset, reason: "Kafka message size \(size) is over 100 MiB")
        }
        guard size >= 4 else {
            throw FramingError(offset: offset, reason: "Kafka message size \(size) has no room for a correlation id")
        }
        switch direction {
        case .clientToServer?:
            guard size < 10 || buffer.readableBytes >= 12 else { return nil }
            let key = buffer.bigEndian(at: 4, count: 2) ?? .max
            let version = buffer.bigEndian(at: 6, count: 2) ?? .max
            guard size >= 10, key < 100, version < 32 else {
                throw FramingError(
                    offset: offset,
                    reason: "Kafka request header (size \(size), API key \(key), version \(version)) is not plausible"
                )
            }
            let correlation = buffer.bigEndian(at: 8, count: 4) ?? 0
            let name = Self.names[Int(key)] ?? "api \(key)"
            return FrameHead(length: 4 + size, summary: "\(name) #\(correlation)", exchange: .request(key: correlation))
        case .serverToClient?:
            guard let correlation = buffer.bigEndian(at: 4, count: 4) else { return nil }
            return FrameHead(
                length: 4 + size,
                summary: "response #\(correlation)",
                exchange: .response(key: correlation)
            )
        case nil:
            return FrameHead(length: 4 + size)
        }
    }
}
