import SeamCore

extension LiveCapture {
    /// The BPF filter that keeps both legs of a proxy and nothing else:
    /// - downstream leg, client ↔ the listening endpoint: packets *to* `listen` or *from* `listen`;
    /// - upstream leg, the proxy's ephemeral port ↔ the server: packets *to* `upstream` or *from* `upstream`.
    ///
    /// Each side is an address *and* a port together, so a connection that merely shares the port number from
    /// another address (or uses it as its ephemeral port towards another host) stays out. A wildcard listen
    /// address (`0.0.0.0`, `::`) keeps the port only. IPv6 addresses work as they are (`dst host ::1`).
    ///
    /// ```
    /// tcp and ((dst host 127.0.0.1 and dst port 8081) or (src host 127.0.0.1 and src port 8081)
    ///      or (dst host 127.0.0.1 and dst port 8080) or (src host 127.0.0.1 and src port 8080))
    /// ```
    public static func proxyFilter(listen: Endpoint, upstream: Endpoint, udp: Bool) -> String {
        func side(_ direction: String, _ endpoint: Endpoint) -> String {
            let port = "\(direction) port \(endpoint.port)"
            if isWildcard(endpoint.address) { return "(\(port))" }
            return "(\(direction) host \(endpoint.address) and \(port))"
        }
        var sides = [side("dst", listen), side("src", listen)]
        if upstream != listen {
            sides += [side("dst", upstream), side("src", upstream)]
        }
        return "\(udp ? "udp" : "tcp") and (\(sides.joined(separator: " or ")))"
    }

    /// `0.0.0.0` and `::`: a listener bound to every address.
    static func isWildcard(_ address: IPAddress) -> Bool {
        address == .v4(0) || address == .v6(0, 0)
    }
}
