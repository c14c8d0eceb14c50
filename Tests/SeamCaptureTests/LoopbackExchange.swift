import SeamCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A tiny TCP exchange on 127.0.0.1 for capture tests: a listener on a free port, one client, known payloads
/// sent one way then the other, with pauses so each write leaves as its own segment.
final class LoopbackExchange {
    let listener: Int32
    let port: UInt16

    /// Binds a listener to 127.0.0.1 on a free port.
    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw ExchangeError("socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = LoopbackExchange.loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(listener, pointer, length) == 0 && listen(listener, 4) == 0
                    && getsockname(listener, pointer, &length) == 0
            }
        }
        guard bound else {
            close(listener)
            throw ExchangeError("bind/listen: \(String(cString: strerror(errno)))")
        }
        self.listener = listener
        port = UInt16(bigEndian: address.sin_port)
    }

    deinit { close(listener) }

    /// The server's endpoint.
    var server: Endpoint { Endpoint(address: .v4(0x7f00_0001), port: port) }

    /// Connects, sends `toServer` messages from the client and `toClient` messages back, each message its own
    /// write with a pause after it, then closes both ends. Returns the client's endpoint.
    @discardableResult
    func run(toServer: [[UInt8]], toClient: [[UInt8]], pauseMicroseconds: UInt32 = 5_000) throws -> Endpoint {
        let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(client) }
        var one: Int32 = 1
        setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = LoopbackExchange.loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(client, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else { throw ExchangeError("connect: \(String(cString: strerror(errno)))") }
        let accepted = accept(listener, nil, nil)
        guard accepted >= 0 else { throw ExchangeError("accept: \(String(cString: strerror(errno)))") }
        defer { close(accepted) }
        setsockopt(accepted, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))

        try transfer(toServer, from: client, to: accepted, pause: pauseMicroseconds)
        try transfer(toClient, from: accepted, to: client, pause: pauseMicroseconds)

        var local = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(client, $0, &length) }
        }
        shutdown(client, Int32(SHUT_WR))
        var byte: UInt8 = 0
        _ = recv(accepted, &byte, 1, 0)  // the client's FIN
        return Endpoint(address: .v4(0x7f00_0001), port: UInt16(bigEndian: local.sin_port))
    }

    private func transfer(_ messages: [[UInt8]], from sender: Int32, to receiver: Int32, pause: UInt32) throws {
        for message in messages {
            guard send(sender, message, message.count, 0) == message.count else {
                throw ExchangeError("send: \(String(cString: strerror(errno)))")
            }
            var received = 0
            var buffer = [UInt8](repeating: 0, count: message.count)
            while received < message.count {
                let n = buffer.withUnsafeMutableBytes {
                    recv(receiver, $0.baseAddress! + received, message.count - received, 0)
                }
                guard n > 0 else { throw ExchangeError("recv: \(String(cString: strerror(errno)))") }
                received += n
            }
            usleep(pause)
        }
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        return address
    }
}

struct ExchangeError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
