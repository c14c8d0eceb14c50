import CSeamWatch
import SeamCore

/// One event of the BPF program, decoded: a socket call (for sendmmsg/recvmmsg one message of it) as the
/// kernel saw it, with its times still on CLOCK_MONOTONIC (`WatchClock` converts them).
/// The fields are `struct seam_watch_event`'s (see `seam_watch.h`).
struct WatchEvent: Sendable, Equatable {
    enum Way: UInt8, Sendable {
        case none = 0, send, recv
    }

    struct Details: OptionSet, Sendable, Hashable {
        var rawValue: UInt32
        static let payloadCut = Details(rawValue: UInt32(SEAM_DETAIL_PAYLOAD_CUT.rawValue))
        static let noUserBuffer = Details(rawValue: UInt32(SEAM_DETAIL_NO_USER_BUFFER.rawValue))
        static let tcpState = Details(rawValue: UInt32(SEAM_DETAIL_TCP_STATE.rawValue))
        static let peerFromCall = Details(rawValue: UInt32(SEAM_DETAIL_PEER_FROM_CALL.rawValue))
        static let askedUnknown = Details(rawValue: UInt32(SEAM_DETAIL_ASKED_UNKNOWN.rawValue))
        static let addressGiven = Details(rawValue: UInt32(SEAM_DETAIL_ADDRESS_GIVEN.rawValue))
    }

    /// The TCP state at the call's entry (`tcp_*` fields), when `details` has `tcpState`.
    struct TCPState: Sendable, Equatable {
        /// write_seq (send), copied_seq (recv); connect/accept: write_seq at return.
        var sequence: UInt32
        /// connect/accept: copied_seq at return (0: the handshake had not finished).
        var otherSequence: UInt32
        var nonagle: UInt32
        var packetsOut: UInt32
        var mss: UInt32
        var congestionWindow: UInt32
        var unsent: UInt32
        var unread: UInt32
    }

    var syscall: WatchSyscall
    var way: Way
    var startNanoseconds: UInt64
    var endNanoseconds: UInt64
    var result: Int64
    /// Bytes asked for; `nil` for calls that move none, or when unknown.
    var asked: Int64?
    /// The socket's inode number.
    var socket: UInt64
    var pid: UInt32
    var tid: UInt32
    var fd: Int32
    var flags: Int32
    var messageFlags: Int32
    var payload: [UInt8]
    /// Bytes the call moved that are not in `payload`.
    var uncopied: UInt32
    var messageIndex: UInt16
    var messageCount: UInt16
    var transport: Transport
    var details: Details
    var local: Endpoint?
    var peer: Endpoint?
    var tcp: TCPState?
    var command: String

    static let headerSize = MemoryLayout<seam_watch_event>.size

    /// Decodes one ring buffer sample; `nil` when it is shorter than its header says or of an unknown call.
    init?(_ sample: UnsafeRawBufferPointer) {
        guard sample.count >= Self.headerSize else { return nil }
        var raw = seam_watch_event()
        withUnsafeMutableBytes(of: &raw) {
            $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: sample[0..<Self.headerSize]))
        }
        let payloadLength = Int(raw.payload_length)
        guard Self.headerSize + payloadLength <= sample.count, let syscall = WatchSyscall(rawValue: raw.syscall)
        else { return nil }
        self.syscall = syscall
        way = Way(rawValue: raw.way) ?? .none
        startNanoseconds = raw.start_ns
        endNanoseconds = raw.end_ns
        result = raw.result
        asked = raw.asked < 0 ? nil : raw.asked
        socket = raw.socket
        pid = raw.pid
        tid = raw.tid
        fd = raw.fd
        flags = raw.flags
        messageFlags = raw.msg_flags
        payload = Array(sample[Self.headerSize..<(Self.headerSize + payloadLength)])
        uncopied = raw.uncopied
        messageIndex = raw.message_index
        messageCount = raw.message_count
        transport = raw.socket_type == 2 ? .udp : .tcp
        details = Details(rawValue: raw.details)
        let family = raw.family
        local = withUnsafeBytes(of: raw.local_addr) { Self.endpoint(family: family, bytes: $0, port: raw.local_port) }
        peer = withUnsafeBytes(of: raw.peer_addr) { Self.endpoint(family: family, bytes: $0, port: raw.peer_port) }
        if details.contains(.tcpState) {
            tcp = TCPState(
                sequence: raw.tcp_seq,
                otherSequence: raw.tcp_seq_other,
                nonagle: raw.tcp_nonagle,
                packetsOut: raw.tcp_packets_out,
                mss: raw.tcp_mss,
                congestionWindow: raw.tcp_cwnd,
                unsent: raw.tcp_unsent,
                unread: raw.tcp_unread
            )
        }
        command = withUnsafeBytes(of: raw.comm) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    /// The endpoint of an address (network order bytes) and port; an IPv4-mapped IPv6 address (a dual-stack
    /// socket) is the IPv4 address it carries, as on the wire. `nil` for port 0 (unknown).
    static func endpoint(family: UInt8, bytes: UnsafeRawBufferPointer, port: UInt16) -> Endpoint? {
        guard port != 0 else { return nil }
        let address: IPAddress?
        switch family {
        case 2: address = IPAddress(bytes: bytes.prefix(4))
        case 10:
            let mapped = bytes.prefix(10).allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
            address = IPAddress(bytes: mapped ? bytes[12..<16] : bytes[0..<16])
        default: address = nil
        }
        return address.map { Endpoint(address: $0, port: port) }
    }
}
