/// Symbolic names of the Linux errno values socket calls return, for the `error=` word.
enum ErrorNames {
    static let names: [Int32: String] = [
        1: "EPERM", 4: "EINTR", 5: "EIO", 9: "EBADF", 11: "EAGAIN", 12: "ENOMEM", 13: "EACCES", 14: "EFAULT",
        22: "EINVAL", 24: "EMFILE", 32: "EPIPE", 88: "ENOTSOCK", 90: "EMSGSIZE", 95: "EOPNOTSUPP",
        97: "EAFNOSUPPORT", 98: "EADDRINUSE", 99: "EADDRNOTAVAIL", 100: "ENETDOWN", 101: "ENETUNREACH",
        103: "ECONNABORTED", 104: "ECONNRESET", 105: "ENOBUFS", 106: "EISCONN", 107: "ENOTCONN", 110: "ETIMEDOUT",
        111: "ECONNREFUSED", 113: "EHOSTUNREACH", 114: "EALREADY", 115: "EINPROGRESS",
    ]

    /// `EAGAIN`, or `E<number>` for values without a name here.
    static func name(_ value: Int32) -> String { names[value] ?? "E\(value)" }
}
