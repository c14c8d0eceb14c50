import CPcap
import SeamCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One capture device as `pcap_findalldevs` lists it, with its IP addresses and netmasks.
struct LocalDevice {
    var name: String
    var isLoopback: Bool
    /// Whether the interface is up (`PCAP_IF_UP`).
    var isUp: Bool
    var addresses: [(address: IPAddress, netmask: IPAddress?)]

    static func all() -> [LocalDevice] {
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        var list: UnsafeMutablePointer<pcap_if_t>?
        guard pcap_findalldevs(&list, &errorBuffer) == 0, let first = list else { return [] }
        defer { pcap_freealldevs(first) }
        var devices: [LocalDevice] = []
        var cursor: UnsafeMutablePointer<pcap_if_t>? = first
        while let device = cursor {
            var addresses: [(IPAddress, IPAddress?)] = []
            var entry = device.pointee.addresses
            while let current = entry {
                if let address = ipAddress(current.pointee.addr) {
                    addresses.append((address, ipAddress(current.pointee.netmask)))
                }
                entry = current.pointee.next
            }
            devices.append(
                LocalDevice(
                    name: String(cString: device.pointee.name),
                    isLoopback: device.pointee.flags & UInt32(PCAP_IF_LOOPBACK) != 0,
                    isUp: device.pointee.flags & UInt32(PCAP_IF_UP) != 0,
                    addresses: addresses
                )
            )
            cursor = device.pointee.next
        }
        return devices
    }

    /// Whether `address` is one of this device's own addresses.
    func owns(_ address: IPAddress) -> Bool {
        addresses.contains { $0.address == address }
    }

    /// Whether `address` lies in one of this device's subnets.
    func subnetContains(_ address: IPAddress) -> Bool {
        addresses.contains { entry in
            guard let mask = entry.netmask else { return false }
            switch (entry.address, address, mask) {
            case (.v4(let own), .v4(let other), .v4(let bits)):
                return bits != 0 && own & bits == other & bits
            case (.v6(let ownHigh, let ownLow), .v6(let high, let low), .v6(let maskHigh, let maskLow)):
                return (maskHigh | maskLow) != 0 && ownHigh & maskHigh == high & maskHigh
                    && ownLow & maskLow == low & maskLow
            default:
                return false
            }
        }
    }

    /// 127.0.0.0/8 and ::1 (and IPv4-mapped loopback).
    static func isLoopback(_ address: IPAddress) -> Bool {
        switch address {
        case .v4(let value): return value >> 24 == 127
        case .v6(let high, let low):
            return (high == 0 && low == 1) || (high == 0 && low >> 32 == 0xffff && (low >> 24) & 0xff == 127)
        }
    }

    private static func ipAddress(_ socketAddress: UnsafeMutablePointer<sockaddr>?) -> IPAddress? {
        guard let socketAddress else { return nil }
        switch Int32(socketAddress.pointee.sa_family) {
        case AF_INET:
            return socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { v4 in
                withUnsafeBytes(of: v4.pointee.sin_addr) { IPAddress(bytes: $0) }
            }
        case AF_INET6:
            return socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { v6 in
                withUnsafeBytes(of: v6.pointee.sin6_addr) { IPAddress(bytes: $0) }
            }
        default:
            return nil
        }
    }
}
