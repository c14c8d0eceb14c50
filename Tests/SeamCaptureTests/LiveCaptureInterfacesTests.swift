import SeamCore
import Testing

@testable import SeamCapture

@Suite("LiveCapture.interface(for:)")
struct LiveCaptureInterfacesTests {
    @Test("loopback endpoints, IPv4 and IPv6, are captured on the loopback interface")
    func loopback() {
        let endpoints = [Endpoint("127.0.0.1:8081")!, Endpoint("127.0.0.1:8080")!, Endpoint("[::1]:9000")!]
        #expect(LiveCapture.interface(for: endpoints) == LiveCapture.loopbackInterfaceName)
        #expect(LiveCapture.interface(for: [Endpoint("127.4.5.6:1")!]) == LiveCapture.loopbackInterfaceName)
    }

    @Test("wildcard and unroutable-here addresses, or no endpoints, give any")
    func any() {
        #expect(LiveCapture.interface(for: [Endpoint("0.0.0.0:8081")!, Endpoint("127.0.0.1:80")!]) == "any")
        #expect(LiveCapture.interface(for: [Endpoint("[::]:8081")!]) == "any")
        #expect(LiveCapture.interface(for: [Endpoint("198.51.100.77:80")!]) == "any")
        #expect(LiveCapture.interface(for: []) == "any")
    }

    /// The first non-loopback device with an IPv4 address and a netmask narrower than /32, if this host has one.
    private static let device: (name: String, address: UInt32, mask: UInt32)? = {
        for device in LocalDevice.all() where !device.isLoopback {
            for entry in device.addresses {
                if case .v4(let address) = entry.address, case .v4(let mask)? = entry.netmask, mask != 0,
                    mask != .max
                {
                    return (device.name, address, mask)
                }
            }
        }
        print("skipping the subnet tests: no non-loopback IPv4 interface with a subnet")
        return nil
    }()

    @Test(
        "a peer in an interface's subnet is captured there; this host's own address on loopback",
        .enabled(if: device != nil, "needs a non-loopback IPv4 interface")
    )
    func subnet() throws {
        let device = try #require(Self.device)
        let host = device.address & device.mask
        // Another address of the subnet than the interface's own.
        let peer = (device.address & ~device.mask) == 1 ? host | 2 : host | 1
        #expect(LiveCapture.interface(for: [Endpoint(address: .v4(peer), port: 80)]) == device.name)
        // The kernel routes traffic to its own addresses over loopback.
        #expect(
            LiveCapture.interface(for: [Endpoint(address: .v4(device.address), port: 80)])
                == LiveCapture.loopbackInterfaceName
        )
        // Legs on two interfaces need `any`.
        #expect(
            LiveCapture.interface(for: [Endpoint("127.0.0.1:8081")!, Endpoint(address: .v4(peer), port: 80)])
                == "any"
        )
    }

    @Test("the interfaces listed in errors include loopback and any")
    func available() {
        let names = LiveCapture.availableInterfaces()
        #expect(names.contains(LiveCapture.loopbackInterfaceName))
        #if os(Linux)
        #expect(names.last == "any")
        #endif
    }
}
