#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// One peer's blocking socket work in the fault matrix: writing a payload in random chunks and reading one with
/// random delays, checking each byte against what the other peer sent.
enum FaultPeer {
    /// How a read or write loop ended.
    enum End: Equatable {
        case done, endOfFile, failed(Int32), timedOut
    }

    /// The byte at `index` of the payload named `seed` (so a reader checks order without a copy).
    static func byte(_ seed: UInt64, _ index: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: ((UInt64(index) &+ seed) &* 0x9E37_79B9_7F4A_7C15) >> 56)
    }

    /// Writes bytes `0..<count` of payload `seed` in chunks drawn from `chunks`; answers the bytes the kernel
    /// accepted and how it ended.
    static func write(_ fd: Int32, seed: UInt64, count: Int, chunks: [Int]) -> (accepted: Int, end: End) {
        var sent = 0
        var chunkIndex = 0
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while sent < count {
            let size = min(chunks[chunkIndex % chunks.count], count - sent, buffer.count)
            chunkIndex += 1
            for i in 0..<size { buffer[i] = byte(seed, sent + i) }
            var done = 0
            while done < size {
                let n = buffer.withUnsafeBytes { send(fd, $0.baseAddress! + done, size - done, Int32(MSG_NOSIGNAL)) }
                if n < 0 {
                    if errno == EINTR { continue }
                    return (sent + done, errno == EAGAIN ? .timedOut : .failed(errno))
                }
                done += n
            }
            sent += size
        }
        return (sent, .done)
    }

    /// Reads until end of file, an error or `limit` bytes, sleeping `delays` microseconds between reads in turn;
    /// answers the bytes received, whether they were payload `seed` in order, and how it ended.
    static func read(
        _ fd: Int32, seed: UInt64, limit: Int = .max, delays: [UInt32]
    ) -> (count: Int, inOrder: Bool, end: End) {
        var received = 0
        var inOrder = true
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var round = 0
        while received < limit {
            let delay = delays[round % delays.count]
            round += 1
            if delay > 0 { usleep(delay) }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, min($0.count, limit - received), 0) }
            if n < 0 {
                if errno == EINTR { continue }
                return (received, inOrder, errno == EAGAIN ? .timedOut : .failed(errno))
            }
            if n == 0 { return (received, inOrder, .endOfFile) }
            for i in 0..<n where buffer[i] != byte(seed, received + i) {
                inOrder = false
                break
            }
            received += n
        }
        return (received, inOrder, .done)
    }

    /// Open file descriptors of this process.
    static func openDescriptors() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? -1
    }

    /// What each open file descriptor of this process refers to (for a leak's message).
    static func descriptorTargets() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return names.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + $0) }
            .map { $0.hasPrefix("socket:") ? "socket" : $0 }.sorted()
    }

    /// The local port of a socket.
    static func localPort(_ fd: Int32) -> UInt16 {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return UInt16(bigEndian: address.sin_port)
    }
}
