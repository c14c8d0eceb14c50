/// A process of a traced program that ran without the preload library, so its socket calls are missing from
/// the trace. `ProcessTracker` finds them; `seam trace` warns about each.
public struct UntracedProcess: Sendable, Hashable, CustomStringConvertible {
    /// Why the library could not see its calls.
    public enum Reason: Sendable, Hashable, CustomStringConvertible {
        /// No dynamic loader (a static binary): LD_PRELOAD has no effect.
        case staticallyLinked
        /// A Go program: it makes its system calls without libc, even when the library is loaded.
        case goRuntime
        /// It was exec'd with an environment that no longer carries LD_PRELOAD or SEAM_TRACE_RING.
        case environmentDropped
        /// A setuid or setgid program: the dynamic loader ignores LD_PRELOAD.
        case setID
        /// The library never started in it, for a reason Seam cannot tell (details in words).
        case notLoaded(String)

        public var description: String {
            switch self {
            case .staticallyLinked: return "statically linked (no dynamic loader, so LD_PRELOAD has no effect)"
            case .goRuntime: return "a Go program (it makes its socket calls without libc)"
            case .environmentDropped: return "exec'd with an environment without LD_PRELOAD or SEAM_TRACE_RING"
            case .setID: return "setuid/setgid (the dynamic loader ignores LD_PRELOAD)"
            case .notLoaded(let detail): return detail
            }
        }
    }

    public var pid: UInt32
    /// The program it ran, as an absolute path when known.
    public var path: String
    public var reason: Reason

    public init(pid: UInt32, path: String, reason: Reason) {
        self.pid = pid
        self.path = path
        self.reason = reason
    }

    /// `pid 4242 /tmp/server: a Go program (it makes its socket calls without libc)`.
    public var description: String { "pid \(pid) \(path): \(reason)" }
}
