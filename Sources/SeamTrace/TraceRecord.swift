import SeamCore

/// One socket call of a traced program as SeamPreload reports it: a fixed 144-byte record, host byte order
/// (little-endian), then the bytes the call moved when payload is on. The layout is documented field by field
/// in `Sources/SeamPreload/include/seam_preload.h`; the offsets below follow it.
public struct TraceRecord: Sendable, Hashable {
    /// The size of the fixed part.
    public static let size = 144
    /// The record version SeamPreload writes.
    public static let version: UInt16 = 1

    /// What the call did (`enum seam_op`).
    public enum Operation: UInt16, Sendable, Hashable {
        case send = 1, recv, connect, accept, shutdown, close, setsockopt
    }

    /// Who the socket is: connect()ed sockets are clients, accept()ed ones servers; others take the role of
    /// their first data call (send first: client).
    public enum Role: UInt8, Sendable, Hashable {
        case unknown = 0, client, server
    }

    public var operation: Operation
    /// The libc function called (`enum seam_function`), e.g. `sendto`.
    public var function: String
    public var pid: UInt32
    public var tid: UInt32
    /// The socket's number within its process, 1-based in order of first sight.
    public var socketID: UInt64
    /// When the call was entered and when it returned (CLOCK_REALTIME).
    public var start: Timestamp
    public var end: Timestamp
    /// Bytes asked for; `nil` for calls that move no data.
    public var asked: Int?
    /// The return value.
    public var result: Int
    /// The socket's byte count in the call's direction before the call.
    public var offset: UInt64
    public var fd: Int32
    /// errno when `result < 0`, else 0.
    public var errorNumber: Int32
    /// MSG_* flags passed (accept4: its flags).
    public var flags: Int32
    /// msg_flags returned (MSG_TRUNC, MSG_CTRUNC…).
    public var outFlags: Int32
    /// setsockopt level and name; shutdown's `how` is in `optionLevel`.
    public var optionLevel: Int32
    public var optionName: Int32
    public var optionValue: Int32
    public var role: Role
    public var transport: Transport
    /// The socket's own address, and the peer's (for unconnected UDP: the call's address).
    public var local: Endpoint?
    public var peer: Endpoint?
    /// Whether SeamPreload cut the payload at its limit (64 KiB).
    public var payloadCut: Bool
    public var payload: [UInt8]?
    /// The process's command name, when the recorder knows it (`seam watch` reads it in the kernel).
    public var command: String? = nil
    /// The TCP socket's state at the call's entry, when the recorder could read it (`seam watch`: eBPF).
    public var kernel: KernelSocketState? = nil

    /// Decodes one message from the channel; `nil` when it is shorter than a record, of another version, or
    /// its length field disagrees with the message.
    public init?(message: ArraySlice<UInt8>) {
        guard message.count >= TraceRecord.size else { return nil }
        let base = message.startIndex
        func u8(_ offset: Int) -> UInt8 { message[base + offset] }
        func u16(_ offset: Int) -> UInt16 { UInt16(u8(offset)) | UInt16(u8(offset + 1)) << 8 }
        func u32(_ offset: Int) -> UInt32 { UInt32(u16(offset)) | UInt32(u16(offset + 2)) << 16 }
        func u64(_ offset: Int) -> UInt64 { UInt64(u32(offset)) | UInt64(u32(offset + 4)) << 32 }
        func i32(_ offset: Int) -> Int32 { Int32(bitPattern: u32(offset)) }
        func i64(_ offset: Int) -> Int64 { Int64(bitPattern: u64(offset)) }
        let length = Int(u32(0))  // length
        guard length == message.count, u16(4) == TraceRecord.version,  // version
            let operation = Operation(rawValue: u16(6))  // op
        else { return nil }
        let payloadLength = Int(u32(132))  // payload_length
        guard TraceRecord.size + payloadLength == length else { return nil }
        self.operation = operation
        pid = u32(8)  // pid
        tid = u32(12)  // tid
        socketID = u64(16)  // socket_id
        start = Timestamp(nanoseconds: i64(24))  // start_ns
        end = Timestamp(nanoseconds: i64(32))  // end_ns
        let asked = i64(40)  // asked
        self.asked = asked < 0 ? nil : Int(asked)
        result = Int(i64(48))  // result
        offset = u64(56)  // offset
        fd = i32(64)  // fd
        errorNumber = i32(68)  // err
        flags = i32(72)  // flags
        outFlags = i32(76)  // out_flags
        optionLevel = i32(80)  // opt_level
        optionName = i32(84)  // opt_name
        optionValue = i32(88)  // opt_value
        role = Role(rawValue: u8(92)) ?? .unknown  // role
        transport = u8(93) == 2 ? .udp : .tcp  // socktype
        let family = u8(94)  // family
        payloadCut = u8(95) != 0  // payload_cut
        func endpoint(addressAt offset: Int, port: UInt16) -> Endpoint? {
            guard port != 0, family == 4 || family == 6 else { return nil }
            var bytes = message[(base + offset)..<(base + offset + (family == 4 ? 4 : 16))]
            // An IPv4-mapped IPv6 address (::ffff:a.b.c.d, a dual-stack socket) is IPv4 on the wire.
            if family == 6, bytes.prefix(10).allSatisfy({ $0 == 0 }), bytes.dropFirst(10).prefix(2) == [0xFF, 0xFF] {
                bytes = bytes.suffix(4)
            }
            return IPAddress(bytes: bytes).map { Endpoint(address: $0, port: port) }
        }
        local = endpoint(addressAt: 100, port: u16(96))  // local_addr, local_port
        peer = endpoint(addressAt: 116, port: u16(98))  // peer_addr, peer_port
        // A socket bound to the wildcard address (an unconnected UDP client) sends from the address the route
        // picks; towards a loopback peer that is the loopback address, which is what the capture shows.
        if var own = local, let peer, own.address == .v4(0) || own.address == .v6(0, 0) {
            switch peer.address {
            case .v4(let value) where value >> 24 == 127: own.address = .v4(0x7F00_0001)
            case .v6(0, 1): own.address = .v6(0, 1)
            default: break
            }
            local = own
        }
        function = TraceRecord.functionNames[Int(u8(136))] ?? "unknown"  // function
        payload = payloadLength > 0 ? Array(message[(base + TraceRecord.size)...]) : nil
    }

    /// `enum seam_function`, by number.
    static let functionNames: [Int: String] = [
        1: "send", 2: "sendto", 3: "sendmsg", 4: "write", 5: "writev", 6: "recv", 7: "recvfrom", 8: "recvmsg",
        9: "read", 10: "readv", 11: "connect", 12: "accept", 13: "accept4", 14: "shutdown", 15: "close",
        16: "setsockopt",
    ]
}
