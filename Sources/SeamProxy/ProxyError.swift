import SeamCore

/// Why the proxy could not do its job; each states what was wrong in one line.
public enum ProxyError: Error, Equatable, CustomStringConvertible {
    /// Another socket already listens there.
    case addressInUse(String)
    /// The listening address could not be bound (not a local address, no permission…).
    case cannotListen(String, reason: String)
    /// Every connection's upstream connect failed.
    case upstreamUnreachable(String, attempts: Int, reason: String)
    /// The session file could not be created or written.
    case cannotRecord(path: String, reason: String)
    /// `start()` was not called, or called twice.
    case notStarted

    public var description: String {
        switch self {
        case .addressInUse(let address):
            return "cannot listen on \(address): address already in use"
        case .cannotListen(let address, let reason):
            return "cannot listen on \(address): \(reason)"
        case .upstreamUnreachable(let address, let attempts, let reason):
            let tried = attempts == 1 ? "its connect attempt failed" : "all \(attempts) connect attempts failed"
            return "upstream \(address) unreachable: \(tried) (\(reason))"
        case .cannotRecord(let path, let reason):
            return "cannot write session file \(path): \(reason)"
        case .notStarted:
            return "the proxy was not started"
        }
    }
}
