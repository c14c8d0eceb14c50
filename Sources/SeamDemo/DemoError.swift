#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A demo failed: a socket call, a timeout, or the session file. The message names the call and the reason.
public struct DemoError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }

    /// `what: strerror(errno)`, read at once (before anything else can change errno).
    static func errno(_ what: String) -> DemoError {
        let code = Glibc.errno
        return DemoError("\(what): \(String(cString: strerror(code))) (errno \(code))")
    }
}
