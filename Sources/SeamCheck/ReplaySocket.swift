import SeamCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A plain blocking TCP socket for the replay (IPv4 or IPv6), read with `poll` and deadlines, so a run never
/// waits longer than it was told to. TCP_NODELAY is on: each replayed write leaves as its own segment (the
/// kernel may still join writes a slow reader has not read yet; that is the reader's business).
/// One owner at a time; `close()` is idempotent.
final class ReplaySocket {
    private(set) var descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
        var one: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)  // never inherited by a client command
    }

    deinit { close() }

    /// Connects to `endpoint` within `timeout` seconds.
    static func connect(to endpoint: Endpoint, timeout: Double) throws(CheckError) -> ReplaySocket {
        let (storage, length) = endpoint.sockaddrStorage
        let family = Int32(storage.ss_family)
        let fd = socket(family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw CheckError.io("socket: \(String(cString: strerror(errno)))") }
        let sock = ReplaySocket(descriptor: fd)
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        var address = storage
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, length) }
        }
        if rc != 0 && errno != EINPROGRESS {
            throw CheckError.connect(endpoint, String(cString: strerror(errno)))
        }
        if rc != 0 {
            var entry = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            guard poll(&entry, 1, Int32(timeout * 1000)) > 0 else { throw CheckError.connect(endpoint, "timed out") }
            var failure: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &failure, &size)
            if failure != 0 { throw CheckError.connect(endpoint, String(cString: strerror(failure))) }
        }
        _ = fcntl(fd, F_SETFL, flags)
        return sock
    }

    /// A listening socket on `endpoint` (port 0: a free port).
    static func listen(on endpoint: Endpoint) throws(CheckError) -> ReplaySocket {
        let (storage, length) = endpoint.sockaddrStorage
        let fd = socket(Int32(storage.ss_family), Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw CheckError.io("socket: \(String(cString: strerror(errno)))") }
        let sock = ReplaySocket(descriptor: fd)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = storage
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard rc == 0, Glibc.listen(fd, 16) == 0 else {
            throw CheckError.io("cannot listen on \(endpoint): \(String(cString: strerror(errno)))")
        }
        return sock
    }

    /// The port the socket is bound to.
    var localPort: UInt16 {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
        }
    }

    /// The socket's own endpoint and its peer's.
    var localEndpoint: Endpoint? { endpoint(getsockname) }
    var peerEndpoint: Endpoint? { endpoint(getpeername) }

    private func endpoint(_ get: (Int32, UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<socklen_t>) -> Int32)
        -> Endpoint?
    {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { get(descriptor, $0, &length) }
        }
        guard rc == 0 else { return nil }
        return withUnsafePointer(to: &storage) { pointer -> Endpoint? in
            if Int32(pointer.pointee.ss_family) == AF_INET {
                return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                    Endpoint(
                        address: .v4(UInt32(bigEndian: $0.pointee.sin_addr.s_addr)),
                        port: UInt16(bigEndian: $0.pointee.sin_port)
                    )
                }
            }
            return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { address in
                var high: UInt64 = 0
                var low: UInt64 = 0
                withUnsafeBytes(of: address.pointee.sin6_addr) { raw in
                    for index in 0..<8 {
                        high = high << 8 | UInt64(raw[index])
                        low = low << 8 | UInt64(raw[8 + index])
                    }
                }
                return Endpoint(address: .v6(high, low), port: UInt16(bigEndian: address.pointee.sin6_port))
            }
        }
    }

    /// Accepts one connection within `timeout` seconds, or `nil`.
    func accept(timeout: Double) -> ReplaySocket? {
        guard waitReadable(timeout: timeout) else { return nil }
        let fd = Glibc.accept(descriptor, nil, nil)
        return fd >= 0 ? ReplaySocket(descriptor: fd) : nil
    }

    /// Waits up to `timeout` seconds for something to read (or an end).
    func waitReadable(timeout: Double) -> Bool {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, Int32(max(0, timeout) * 1000)) > 0
    }

    /// Writes all of `bytes`; `false` when the peer is gone (EPIPE, ECONNRESET).
    func sendAll(_ bytes: ArraySlice<UInt8>) -> Bool {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress! + done, bytes.count - done, Int32(MSG_NOSIGNAL))
            }
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            done += n
        }
        return true
    }

    /// What one read returned.
    enum ReadResult {
        case bytes([UInt8])
        case end
        case reset
        case nothing
    }

    /// One read, waiting up to `timeout` seconds for it.
    func read(timeout: Double) -> ReadResult {
        guard waitReadable(timeout: timeout) else { return .nothing }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let n = buffer.withUnsafeMutableBytes { Glibc.recv(descriptor, $0.baseAddress, 65_536, 0) }
        if n > 0 { return .bytes(Array(buffer.prefix(n))) }
        if n == 0 { return .end }
        return errno == EAGAIN || errno == EINTR ? .nothing : .reset
    }

    func shutdownWrite() { Glibc.shutdown(descriptor, Int32(SHUT_WR)) }

    func close() {
        guard descriptor >= 0 else { return }
        Glibc.close(descriptor)
        descriptor = -1
    }
}

extension Endpoint {
    /// The endpoint as a socket address.
    var sockaddrStorage: (sockaddr_storage, socklen_t) {
        var storage = sockaddr_storage()
        switch address {
        case .v4(let value):
            withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                    pointer.pointee.sin_family = sa_family_t(AF_INET)
                    pointer.pointee.sin_port = port.bigEndian
                    pointer.pointee.sin_addr.s_addr = value.bigEndian
                }
            }
            return (storage, socklen_t(MemoryLayout<sockaddr_in>.size))
        case .v6(let high, let low):
            withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                    pointer.pointee.sin6_family = sa_family_t(AF_INET6)
                    pointer.pointee.sin6_port = port.bigEndian
                    withUnsafeMutableBytes(of: &pointer.pointee.sin6_addr) { raw in
                        for index in 0..<8 {
                            raw[index] = UInt8(truncatingIfNeeded: high >> (56 - 8 * UInt64(index)))
                            raw[8 + index] = UInt8(truncatingIfNeeded: low >> (56 - 8 * UInt64(index)))
                        }
                    }
                }
            }
            return (storage, socklen_t(MemoryLayout<sockaddr_in6>.size))
        }
    }
}

/// Not Sendable: one owner at a time.
@available(*, unavailable)
extension ReplaySocket: Sendable {}
