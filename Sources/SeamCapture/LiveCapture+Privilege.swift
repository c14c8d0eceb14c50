import CPcap

extension LiveCapture {
    /// Whether this process may capture on `interface` (root, or CAP_NET_RAW and CAP_NET_ADMIN on Linux):
    /// activates a throw-away capture and closes it. `false` when `SEAM_NO_CAPTURE_PRIVILEGE=1`.
    public static func canCapture(interface: String) -> Bool {
        captureProblem(interface: interface) == nil
    }

    /// What stops a capture on `interface`, or `nil` when a capture would start. The proxy prints the
    /// `.permissionDenied` case once as a warning (it says how to get the privilege) and goes on without segments.
    public static func captureProblem(interface: String) -> CaptureError? {
        if privilegeIsSimulatedMissing {
            return .permissionDenied(
                interface: interface,
                detail: "\(simulatedMissingPrivilegeVariable)=1 simulates an unprivileged process",
                executable: executablePath
            )
        }
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        guard let handle = pcap_create(interface, &errorBuffer) else {
            return .failed(interface: interface, operation: "opening", detail: cString(errorBuffer))
        }
        defer { pcap_close(handle) }
        do {
            _ = try activate(handle, interface: interface)
            return nil
        } catch {
            return error
        }
    }
}
