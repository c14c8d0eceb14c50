#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An errno value of a failed socket call, with its symbolic name and its meaning in Seam's own words:
/// `ECONNRESET (connection reset by peer)`. Names are Linux's (the session format records them so a file
/// reads the same on any system).
public struct ErrorNumber: Hashable, Sendable, CustomStringConvertible {
    public var code: Int32

    public init(_ code: Int32) {
        self.code = code
    }

    /// The value for a symbolic name (`ECONNRESET`, or `E<number>`); `nil` for another word.
    public init?(name: String) {
        if let known = Self.names.first(where: { $0.value == name }) {
            self.init(known.key)
        } else if name.hasPrefix("E"), let number = Int32(name.dropFirst()) {
            self.init(number)
        } else {
            return nil
        }
    }

    /// `ECONNRESET`, or `E<number>` for values without a name here.
    public var name: String { Self.names[code] ?? "E\(code)" }

    /// What it means, lower case: `connection reset by peer`.
    public var meaning: String {
        if let text = Self.meanings[code] { return text }
        return String(cString: strerror(code)).lowercased()
    }

    /// `ECONNRESET (connection reset by peer)`.
    public var description: String { "\(name) (\(meaning))" }

    static let econnreset = ErrorNumber(104)
    static let einprogress = ErrorNumber(115)

    private static let names: [Int32: String] = [
        1: "EPERM", 4: "EINTR", 5: "EIO", 9: "EBADF", 11: "EAGAIN", 12: "ENOMEM", 13: "EACCES", 14: "EFAULT",
        22: "EINVAL", 24: "EMFILE", 32: "EPIPE", 88: "ENOTSOCK", 90: "EMSGSIZE", 95: "EOPNOTSUPP",
        97: "EAFNOSUPPORT", 98: "EADDRINUSE", 99: "EADDRNOTAVAIL", 100: "ENETDOWN", 101: "ENETUNREACH",
        103: "ECONNABORTED", 104: "ECONNRESET", 105: "ENOBUFS", 106: "EISCONN", 107: "ENOTCONN", 110: "ETIMEDOUT",
        111: "ECONNREFUSED", 113: "EHOSTUNREACH", 114: "EALREADY", 115: "EINPROGRESS",
    ]

    /// Linux's texts for the values sockets meet most, so a session reads the same on any system.
    private static let meanings: [Int32: String] = [
        11: "resource temporarily unavailable", 32: "broken pipe", 104: "connection reset by peer",
        110: "connection timed out", 111: "connection refused", 113: "no route to host", 115: "operation in progress",
        99: "cannot assign requested address", 98: "address already in use", 101: "network is unreachable",
        107: "transport endpoint is not connected", 103: "software caused connection abort",
    ]
}
