#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A demo failed: a socket call, a timeout, or the session file. The message names the call and the reason.
public struct DemoError: Error, CustomStringConvertible, Sendable {
    public var description: String
    /// The errno of the failed call, when a call failed.
    public var errorNumber: Int32?

    public init(_ description: String, errorNumber: Int32? = nil) {
        self.description = description
        self.errorNumber = errorNumber
    }

    /// `what: strerror(errno)`, read at once (before anything else can change errno).
    static func errno(_ what: String) -> DemoError {
        let code = Glibc.errno
        return DemoError("\(what): \(String(cString: strerror(code))) (errno \(code))", errorNumber: code)
    }

    /// The peer reset the connection (ECONNRESET, EPIPE): what a buggy client that closed with unread data does
    /// to its server.
    public var connectionGone: Bool { errorNumber == ECONNRESET || errorNumber == EPIPE }
}
