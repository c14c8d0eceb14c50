import Foundation

/// Plain-socket ends of a proxied exchange on 127.0.0.1, for the proxy-with-capture tests: a TCP server that
/// reads a request to its end and answers, a UDP echo server, and the matching clients. Each call ends within
/// seconds (receive timeouts), so a broken proxy fails a test instead of hanging it.
final class SocketPeer: @unchecked Sendable {
    let descriptor: Int32
    let port: UInt16
    private let done = DispatchSemaphore(value: 0)
    private var request: [UInt8] = []

    private init(descriptor: Int32, port: UInt16) {
        self.descriptor = descriptor
        self.port = port
    }

    deinit { close(descriptor) }

    /// A TCP server for one connection: reads until the client's FIN, then writes `reply` and closes.
    static func tcpServer(replying reply: [UInt8]) throws -> SocketPeer {
        let (listener, port) = try bound(type: SOCK_STREAM)
        guard listen(listener, 4) == 0 else { throw ExchangeError("listen: \(errorText())") }
        let peer = SocketPeer(descriptor: listener, port: port)
        Thread.detachNewThread {
            defer { peer.done.signal() }
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            defer { close(connection) }
            setTimeout(connection, seconds: 10)
            peer.request = readToEnd(connection)
            _ = writeAll(connection, reply)
        }
        return peer
    }

    /// What the TCP server read (waits up to 10 s for it to finish).
    func received() -> [UInt8]? {
        done.wait(timeout: .now() + 10) == .success ? request : nil
    }

    /// A UDP server that sends every datagram back to its sender, until the peer is released.
    static func udpEchoServer() throws -> SocketPeer {
        let (socket, port) = try bound(type: SOCK_DGRAM)
        setTimeout(socket, seconds: 0.2)
        let peer = SocketPeer(descriptor: socket, port: port)
        Thread.detachNewThread { [weak peer] in
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while peer != nil {
                var from = sockaddr_storage()
                var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
                let count = withUnsafeMutablePointer(to: &from) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        recvfrom(socket, &buffer, buffer.count, 0, $0, &length)
                    }
                }
                if count < 0 { if errno == EAGAIN || errno == EINTR { continue } else { return } }
                _ = withUnsafePointer(to: &from) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        sendto(socket, buffer, count, 0, $0, length)
                    }
                }
            }
        }
        return peer
    }

    /// Connects to 127.0.0.1:`port`, sends `bytes`, shuts down its sending side and returns all it reads.
    static func tcpClient(port: UInt16, sending bytes: [UInt8]) throws -> [UInt8] {
        let client = try connected(type: SOCK_STREAM, port: port)
        defer { close(client) }
        setTimeout(client, seconds: 10)
        guard writeAll(client, bytes) else { throw ExchangeError("send: \(errorText())") }
        shutdown(client, Int32(SHUT_WR))
        return readToEnd(client)
    }

    /// Sends each message as a datagram to 127.0.0.1:`port` and returns the replies, one per message.
    static func udpClient(port: UInt16, sending messages: [[UInt8]]) throws -> [[UInt8]] {
        let client = try connected(type: SOCK_DGRAM, port: port)
        defer { close(client) }
        setTimeout(client, seconds: 5)
        var replies: [[UInt8]] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        for message in messages {
            guard send(client, message, message.count, 0) == message.count else {
                throw ExchangeError("send: \(errorText())")
            }
            let count = recv(client, &buffer, buffer.count, 0)
            guard count >= 0 else { throw ExchangeError("recv: \(errorText())") }
            replies.append(Array(buffer[..<count]))
        }
        return replies
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago (bound, read, closed).
    static func freePort() throws -> UInt16 {
        let (descriptor, port) = try bound(type: SOCK_STREAM)
        close(descriptor)
        return port
    }

    // MARK: - Sockets

    private static func bound(type: __socket_type) throws -> (Int32, UInt16) {
        let descriptor = socket(AF_INET, Int32(type.rawValue), 0)
        guard descriptor >= 0 else { throw ExchangeError("socket: \(errorText())") }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard ok else {
            close(descriptor)
            throw ExchangeError("bind: \(errorText())")
        }
        return (descriptor, UInt16(bigEndian: address.sin_port))
    }

    private static func connected(type: __socket_type, port: UInt16) throws -> Int32 {
        let descriptor = socket(AF_INET, Int32(type.rawValue), 0)
        guard descriptor >= 0 else { throw ExchangeError("socket: \(errorText())") }
        var address = loopback(port: port)
        let ok = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard ok else {
            close(descriptor)
            throw ExchangeError("connect to port \(port): \(errorText())")
        }
        return descriptor
    }

    private static func readToEnd(_ descriptor: Int32) -> [UInt8] {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return result }
            result += buffer[..<count]
        }
    }

    private static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { send(descriptor, $0.baseAddress! + sent, bytes.count - sent, 0) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return false }
            sent += count
        }
        return true
    }

    private static func setTimeout(_ descriptor: Int32, seconds: Double) {
        var timeout = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1e6))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        return address
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}
