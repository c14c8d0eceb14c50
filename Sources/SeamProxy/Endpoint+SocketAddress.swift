import NIOCore
import SeamCore

extension Endpoint {
    /// The endpoint of an IPv4 or IPv6 socket address; `nil` for Unix domain addresses.
    public init?(socketAddress: SocketAddress) {
        guard let text = socketAddress.ipAddress, let address = IPAddress(text), let port = socketAddress.port,
            let port16 = UInt16(exactly: port)
        else { return nil }
        self.init(address: address, port: port16)
    }

    /// The socket address of this endpoint.
    public func socketAddress() throws -> SocketAddress {
        try SocketAddress(ipAddress: address.description, port: Int(port))
    }
}
