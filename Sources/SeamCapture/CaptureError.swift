/// Why a live capture could not start or stopped early. `description` is one line, ready to print after
/// `seam: ` (the CLI adds that prefix).
public enum CaptureError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The interface does not exist; `available` lists the ones that do.
    case noSuchInterface(name: String, available: [String])
    /// Capturing needs root or CAP_NET_RAW (and CAP_NET_ADMIN for the buffer size); `detail` is libpcap's text.
    case permissionDenied(interface: String, detail: String, executable: String?)
    /// The interface exists but is down.
    case interfaceDown(name: String)
    /// libpcap could not compile the BPF filter; `reason` is libpcap's text.
    case badFilter(expression: String, reason: String)
    /// Any other libpcap failure: what Seam was doing and libpcap's text.
    case failed(interface: String, operation: String, detail: String)

    /// One line, e.g. `capture: bad filter "tcp prt 80": syntax error`.
    public var description: String {
        switch self {
        case .noSuchInterface(let name, let available):
            let list = available.isEmpty ? "none found" : "available: " + available.joined(separator: ", ")
            return "capture: no such interface \"\(name)\" (\(list))"
        case .permissionDenied(let interface, let detail, let executable):
            let binary = executable ?? "<binary>"
            return "capture: no permission to capture on \"\(interface)\" (\(detail)); run as root, "
                + "or grant the capability once: sudo setcap cap_net_raw,cap_net_admin+eip \(binary)"
        case .interfaceDown(let name):
            return "capture: interface \"\(name)\" is not up"
        case .badFilter(let expression, let reason):
            return "capture: bad filter \"\(expression)\": \(reason)"
        case .failed(let interface, let operation, let detail):
            return "capture: \(operation) on \"\(interface)\" failed: \(detail)"
        }
    }

    /// The proxy's one-line notice when it goes on without a capture: that the session will have the proxy's
    /// calls but no segments, why, and (for the missing privilege) how to get them.
    ///
    /// ```
    /// capture: no segments will be recorded, only the proxy's calls: no permission to capture on "lo"
    /// (socket: Operation not permitted); run as root, or grant the capability once: sudo setcap …
    /// ```
    public var withoutCaptureNotice: String {
        let reason = description.hasPrefix("capture: ") ? String(description.dropFirst(9)) : description
        return "capture: no segments will be recorded, only the proxy's calls: \(reason)"
    }

    /// Whether this is the missing-privilege case (the proxy then goes on without segments).
    public var isPermissionDenied: Bool {
        if case .permissionDenied = self { return true }
        return false
    }
}
