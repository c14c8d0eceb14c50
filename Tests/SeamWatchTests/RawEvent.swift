import CSeamWatch
import SeamCore

@testable import SeamWatch

/// A `struct seam_watch_event` as the BPF program writes it, built field by field, then its payload: what
/// the ring buffer hands over, for tests of the decoding and the policy without loading BPF.
struct RawEvent {
    var raw = seam_watch_event()
    var payload: [UInt8] = []

    /// A TCP call on 127.0.0.1:`local` ↔ 127.0.0.1:`peer` at `sequence`, returning `result`.
    init(
        _ syscall: WatchSyscall,
        way: WatchEvent.Way = .none,
        result: Int64 = 0,
        asked: Int64 = -1,
        socket: UInt64 = 77,
        local: UInt16 = 40000,
        peer: UInt16 = 9000,
        sequence: UInt32 = 0,
        otherSequence: UInt32 = 0,
        udp: Bool = false
    ) {
        raw.syscall = syscall.rawValue
        raw.way = way.rawValue
        raw.result = result
        raw.asked = asked
        raw.socket = socket
        raw.pid = 4242
        raw.tid = 4243
        raw.fd = 5
        raw.start_ns = 1_000_000
        raw.end_ns = 1_500_000
        raw.socket_type = udp ? 2 : 1
        raw.family = 2
        raw.local_port = local
        raw.peer_port = peer
        withUnsafeMutableBytes(of: &raw.local_addr) { $0.copyBytes(from: [127, 0, 0, 1]) }
        withUnsafeMutableBytes(of: &raw.peer_addr) { $0.copyBytes(from: [127, 0, 0, 1]) }
        if !udp {
            raw.details |= UInt32(SEAM_DETAIL_TCP_STATE.rawValue)
            raw.tcp_seq = sequence
            raw.tcp_seq_other = otherSequence
            raw.tcp_nonagle = 0
            raw.tcp_packets_out = 1
            raw.tcp_mss = 65483
            raw.tcp_cwnd = 10
            raw.tcp_unsent = 3
            raw.tcp_unread = 0
        }
        withUnsafeMutableBytes(of: &raw.comm) { $0.copyBytes(from: Array("python3".utf8)) }
    }

    func with(payload bytes: [UInt8]) -> RawEvent {
        var copy = self
        copy.payload = bytes
        copy.raw.payload_length = UInt32(bytes.count)
        return copy
    }

    /// The bytes of the ring buffer sample.
    var sample: [UInt8] {
        withUnsafeBytes(of: raw) { Array($0) } + payload
    }

    var event: WatchEvent? { sample.withUnsafeBytes { WatchEvent($0) } }
}
