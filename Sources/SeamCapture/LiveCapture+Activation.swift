import CPcap

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension LiveCapture {
    /// The environment switch that makes every capture fail as if the process lacked the privilege, so the
    /// unprivileged path can be tested as root: `SEAM_NO_CAPTURE_PRIVILEGE=1`.
    public static let simulatedMissingPrivilegeVariable = "SEAM_NO_CAPTURE_PRIVILEGE"

    static var privilegeIsSimulatedMissing: Bool {
        guard let value = getenv(simulatedMissingPrivilegeVariable) else { return false }
        return String(cString: value) == "1"
    }

    /// The running binary, for the `setcap` advice (`/proc/self/exe` on Linux, else argv[0]).
    static var executablePath: String? {
        #if os(Linux)
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if length > 0 {
            buffer[length] = 0
            return cString(buffer)
        }
        #endif
        return CommandLine.arguments.first
    }

    /// Maps a `pcap_set_*` result that is not 0 to an error.
    static func check(
        _ result: Int32,
        _ handle: OpaquePointer,
        _ interface: String,
        _ operation: String
    )
        throws(CaptureError)
    {
        guard result != 0 else { return }
        throw .failed(interface: interface, operation: operation, detail: statusText(result, handle))
    }

    /// `pcap_activate`, with its errors mapped to what the user can do about them; returns the warnings.
    static func activate(_ handle: OpaquePointer, interface: String) throws(CaptureError) -> [String] {
        let result = pcap_activate(handle)
        switch result {
        case 0:
            return []
        case PCAP_WARNING_PROMISC_NOTSUP:
            return ["capture: \"\(interface)\" does not support promiscuous mode (\(errorText(handle)))"]
        case PCAP_WARNING_TSTAMP_TYPE_NOTSUP:
            return ["capture: \"\(interface)\" does not support the requested time stamp type"]
        case let warning where warning > 0:
            return ["capture: warning on \"\(interface)\": \(statusText(warning, handle))"]
        case PCAP_ERROR_NO_SUCH_DEVICE:
            throw .noSuchInterface(name: interface, available: availableInterfaces())
        case PCAP_ERROR_PERM_DENIED, PCAP_ERROR_PROMISC_PERM_DENIED:
            let text = errorText(handle)
            throw .permissionDenied(
                interface: interface,
                detail: text.isEmpty ? "operation not permitted" : text,
                executable: executablePath
            )
        case PCAP_ERROR_IFACE_NOT_UP:
            throw .interfaceDown(name: interface)
        default:
            throw .failed(
                interface: interface,
                operation: "activating the capture",
                detail: statusText(result, handle)
            )
        }
    }

    /// The text in a NUL-terminated C buffer (libpcap's `errbuf`, readlink's output).
    static func cString(_ buffer: [CChar]) -> String {
        buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// libpcap's last error text for `handle`.
    static func errorText(_ handle: OpaquePointer) -> String {
        String(cString: pcap_geterr(handle))
    }

    /// `pcap_statustostr` of `status`, with libpcap's own detail when it has one.
    static func statusText(_ status: Int32, _ handle: OpaquePointer) -> String {
        let status = String(cString: pcap_statustostr(status))
        let detail = errorText(handle)
        return detail.isEmpty ? status : "\(status): \(detail)"
    }
}
