import Testing

@testable import SeamCapture

@Suite("CaptureError")
struct CaptureErrorTests {
    @Test("the notice the proxy prints without a capture says what is missing and how to get it")
    func withoutCaptureNotice() {
        let error = CaptureError.permissionDenied(
            interface: "lo",
            detail: "socket: Operation not permitted",
            executable: "/usr/local/bin/seam"
        )
        #expect(error.isPermissionDenied)
        #expect(
            error.withoutCaptureNotice
                == "capture: no segments will be recorded, only the proxy's calls: no permission to capture on "
                + "\"lo\" (socket: Operation not permitted); run as root, or grant the capability once: "
                + "sudo setcap cap_net_raw,cap_net_admin+eip /usr/local/bin/seam"
        )
        #expect(!CaptureError.interfaceDown(name: "eth1").isPermissionDenied)
    }

    @Test("each error is one line that names what was wrong")
    func descriptions() {
        #expect(
            CaptureError.noSuchInterface(name: "eth9", available: ["lo", "eth0"]).description
                == "capture: no such interface \"eth9\" (available: lo, eth0)"
        )
        #expect(
            CaptureError.noSuchInterface(name: "eth9", available: []).description
                == "capture: no such interface \"eth9\" (none found)"
        )
        #expect(CaptureError.interfaceDown(name: "ifb0").description == "capture: interface \"ifb0\" is not up")
        #expect(
            CaptureError.failed(interface: "lo", operation: "reading packets", detail: "Network is down").description
                == "capture: reading packets on \"lo\" failed: Network is down"
        )
        let errors: [CaptureError] = [
            .noSuchInterface(name: "x", available: ["lo"]), .interfaceDown(name: "x"),
            .badFilter(expression: "x", reason: "y"), .failed(interface: "x", operation: "y", detail: "z"),
            .permissionDenied(interface: "x", detail: "y", executable: nil),
        ]
        #expect(errors.allSatisfy { !$0.description.contains("\n") && $0.description.hasPrefix("capture: ") })
    }
}
