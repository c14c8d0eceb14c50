import NIOCore
import NIOPosix
import SeamCore

extension CallFailure {
    /// A NIO error in Seam's words: the errno value and its name (`ECONNRESET (connection reset by peer)`),
    /// or, for an error without one, its own text. A failed connect names its first attempt's error.
    init(_ error: Error, operation: String? = nil) {
        if let io = error as? IOError {
            // NIO's text starts with the system call, with its Swift argument labels: `read(descriptor:…): …`.
            let name = "\(io)".prefix { $0 != "(" && $0 != ":" }
            self.init(operation: operation ?? String(name), errorNumber: ErrorNumber(io.errnoCode))
        } else if let connect = error as? NIOConnectionError, let first = connect.connectionErrors.first {
            self.init(first.error, operation: operation ?? "connect")
        } else if let channel = error as? ChannelError, case .connectTimeout = channel {
            self.init(operation: operation ?? "connect", errorNumber: ErrorNumber(110))
        } else {
            self.init(operation: operation, reason: "\(error)")
        }
    }
}
