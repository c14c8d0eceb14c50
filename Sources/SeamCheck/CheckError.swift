import SeamCore

/// Why `seam check` could not do its job (exit 1): the session, the target, the client command.
public enum CheckError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The session holds nothing to replay (no connection, no payload).
    case nothingToReplay(String)
    /// The target refused or did not answer.
    case connect(Endpoint, String)
    /// A socket or file failed.
    case io(String)
    /// The client command could not be started.
    case cannotRun(String)
    /// The baseline itself went wrong (the server did not answer as recorded at all).
    case baseline(String)

    public var description: String {
        switch self {
        case .nothingToReplay(let why): return "nothing to replay: \(why)"
        case .connect(let endpoint, let why): return "cannot connect to \(endpoint): \(why)"
        case .io(let why): return why
        case .cannotRun(let why): return "cannot run the client: \(why)"
        case .baseline(let why): return "the baseline failed: \(why)"
        }
    }
}
