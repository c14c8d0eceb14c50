import SeamCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An address given on the command line (`--listen`, `--to`): `PORT` (loopback), `HOST:PORT` or `[V6]:PORT`,
/// HOST a literal address or a name resolved once, now. Errors name the option and what was wrong with it.
enum EndpointArgument {
    enum Failure: Error, CustomStringConvertible {
        case notHostPort(option: String, text: String)
        case badPort(option: String, text: String, port: String)
        case unresolved(option: String, text: String, host: String, reason: String)

        var description: String {
            switch self {
            case .notHostPort(let option, let text):
                return "\(option) '\(text)' is not HOST:PORT or [V6]:PORT"
            case .badPort(let option, let text, let port):
                return "\(option) '\(text)': the port '\(port)' is not a number from 0 to 65535"
            case .unresolved(let option, let text, let host, let reason):
                return "\(option) '\(text)': the host name '\(host)' did not resolve (\(reason))"
            }
        }
    }

    /// The endpoint `text` names; `allowsBarePort` for `--listen`'s `PORT` (on loopback).
    static func parse(_ text: String, option: String, allowsBarePort: Bool) -> Result<Endpoint, Failure> {
        if allowsBarePort, let port = UInt16(text) { return .success(Endpoint(address: .v4(0x7f00_0001), port: port)) }
        if let endpoint = Endpoint(text) { return .success(endpoint) }
        guard let colon = text.lastIndex(of: ":"), !text.hasPrefix("[") else { return .failure(.notHostPort(option: option, text: text)) }
        let host = String(text[..<colon])
        let portText = String(text[text.index(after: colon)...])
        guard !host.isEmpty, !host.contains(":") else { return .failure(.notHostPort(option: option, text: text)) }
        guard let port = UInt16(portText) else { return .failure(.badPort(option: option, text: text, port: portText)) }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var results: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &results)
        defer { if results != nil { freeaddrinfo(results) } }
        guard status == 0 else {
            return .failure(.unresolved(option: option, text: text, host: host, reason: String(cString: gai_strerror(status))))
        }
        var entry = results
        while let info = entry?.pointee {
            if info.ai_family == AF_INET, let address = info.ai_addr {
                let v4 = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr.s_addr }
                return .success(Endpoint(address: .v4(UInt32(bigEndian: v4)), port: port))
            }
            entry = info.ai_next
        }
        entry = results
        while let info = entry?.pointee {
            if info.ai_family == AF_INET6, let address = info.ai_addr {
                let bytes = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                    withUnsafeBytes(of: pointer.pointee.sin6_addr) { Array($0) }
                }
                let high = bytes[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                let low = bytes[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                return .success(Endpoint(address: .v6(high, low), port: port))
            }
            entry = info.ai_next
        }
        return .failure(.unresolved(option: option, text: text, host: host, reason: "no IPv4 or IPv6 address"))
    }
}
