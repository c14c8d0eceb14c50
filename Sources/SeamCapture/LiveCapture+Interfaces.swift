import CPcap
import SeamCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension LiveCapture {
    /// The loopback interface's usual name on this platform (`lo` on Linux, `lo0` on the BSDs and macOS).
    public static var loopbackInterfaceName: String {
        #if os(Linux)
        return "lo"
        #else
        return "lo0"
        #endif
    }

    /// The interface that carries traffic to and from all of `endpoints`:
    /// - the loopback interface when every address is loopback or one of this host's own addresses (the kernel
    ///   routes traffic to its own addresses over loopback);
    /// - else the one interface whose subnet holds every address (`pcap_findalldevs` addresses and netmasks);
    /// - else `any` (wildcard addresses such as `0.0.0.0`, remote hosts behind a router, several interfaces).
    public static func interface(for endpoints: [Endpoint]) -> String {
        let devices = LocalDevice.all()
        let loopback = devices.first(where: \.isLoopback)?.name ?? loopbackInterfaceName
        var chosen: Set<String> = []
        for endpoint in endpoints {
            let address = endpoint.address
            if LocalDevice.isLoopback(address) || devices.contains(where: { $0.owns(address) }) {
                chosen.insert(loopback)
            } else if let device = devices.first(where: { !$0.isLoopback && $0.subnetContains(address) }) {
                chosen.insert(device.name)
            } else {
                return "any"
            }
        }
        return chosen.count == 1 ? chosen.first! : "any"
    }

    /// The interfaces of this host by kernel index (`if_nameindex`), then `any` where libpcap has it (Linux).
    public static func availableInterfaces() -> [String] {
        var names: [String] = []
        if let list = if_nameindex() {
            var entry = list
            while entry.pointee.if_index != 0, let name = entry.pointee.if_name {
                names.append(String(cString: name))
                entry += 1
            }
            if_freenameindex(list)
        }
        #if os(Linux)
        names.append("any")
        #endif
        return names
    }
}
