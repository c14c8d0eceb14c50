import SeamCore

/// One socket call of a traced program as SeamPreload reports it: a fixed 144-byte record, host byte order
/// (little-endian), then the bytes the call moved when payload is on. The layout is documented field by field
/// in `Sources/SeamPreload/include/seam_preload.h`, the one source of the format; the offsets below follow it.
///
/// Other recorders of a program's calls (`seam watch`) build records with `init(operation:function:…)` and
/// hand them to the same `CallTranslator`.
public struct TraceRecord: Sendable, Hashable {
    /// The size of the fixed part.
    public static let size = 144
    /// The record version SeamPreload writes.
    public static let version: UInt16 = 2

    /// What the call did (`enum seam_op`).
    public enum Operation: UInt16, Sendable, Hashable {
        case send = 1, recv, connect, accept, shutdown, close, setsockopt
        /// Not a socket call: a process of the program started, forked, exec'd or spawned (`process`).
        case process
    }

    /// Who the socket is: connect()ed sockets are clients, accept()ed ones servers; others take the role of
    /// their first data call (send first: client).
    public enum Role: UInt8, Sendable, Hashable {
        case unknown = 0, client, server
    }

    /// Where a data call's bytes came from or went to (`enum seam_data_source`).
    public enum DataSource: UInt8, Sendable, Hashable {
        /// The program's own buffer: payload recorded when payload is on.
        case buffer = 0
        /// Moved inside the kernel between a file or pipe and the socket (sendfile, splice): the bytes are
        /// counted, the payload never recorded.
        case kernel = 1
    }

    public var operation: Operation
    /// The libc function called (`enum seam_function`), e.g. `sendto`.
    public var function: String
    public var pid: UInt32
    public var tid: UInt32
    /// The process's command name, when the recorder knows it (SeamPreload's records leave it `nil`: the
    /// translator takes it from the process's start record).
    public var command: String?
    /// The socket's number within its process, 1-based in order of first sight.
    public var socketID: UInt64
    /// When the call was entered and when it returned (CLOCK_REALTIME).
    public var start: Timestamp
    public var end: Timestamp
    /// Bytes asked for; `nil` for calls that move no data.
    public var asked: Int?
    /// The return value (a batch call: this message's length; a process record: the pid it is about).
    public var result: Int
    /// The socket's byte count in the call's direction before the call.
    public var offset: UInt64
    public var fd: Int32
    /// errno when the call failed, else 0.
    public var errorNumber: Int32
    /// MSG_* flags passed (accept4: its flags; process records: `SEAM_PROCESS_*`).
    public var flags: Int32
    /// msg_flags returned (MSG_TRUNC, MSG_CTRUNC…).
    public var outFlags: Int32
    /// setsockopt level and name; shutdown's `how` is in `optionLevel`.
    public var optionLevel: Int32
    public var optionName: Int32
    /// setsockopt's value; a process record: the parent's pid.
    public var optionValue: Int32
    public var role: Role
    public var transport: Transport
    /// The socket's own address, and the peer's (for unconnected UDP: the call's address).
    public var local: Endpoint?
    public var peer: Endpoint?
    /// Whether SeamPreload cut the payload at its limit (64 KiB).
    public var payloadCut: Bool
    public var dataSource: DataSource
    /// sendmmsg/recvmmsg: this message's index in the call and the messages the call moved; else 0 and 0.
    public var batchIndex: Int
    public var batchCount: Int
    public var payload: [UInt8]?

    /// A record of a call that moved no data; set the other fields as needed.
    public init(
        operation: Operation, function: String, pid: UInt32, tid: UInt32, socketID: UInt64, start: Timestamp,
        end: Timestamp, result: Int, transport: Transport
    ) {
        self.operation = operation
        self.function = function
        self.pid = pid
        self.tid = tid
        self.socketID = socketID
        self.start = start
        self.end = end
        self.result = result
        self.transport = transport
        asked = nil
        offset = 0
        fd = -1
        errorNumber = 0
        flags = 0
        outFlags = 0
        optionLevel = 0
        optionName = 0
        optionValue = 0
        role = .unknown
        payloadCut = false
        dataSource = .buffer
        batchIndex = 0
        batchCount = 0
    }

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
        self.init(
            operation: operation, function: TraceRecord.functionNames[Int(u8(136))] ?? "unknown",  // function
            pid: u32(8), tid: u32(12), socketID: u64(16),  // pid, tid, socket_id
            start: Timestamp(nanoseconds: i64(24)), end: Timestamp(nanoseconds: i64(32)),  // start_ns, end_ns
            result: Int(i64(48)), transport: u8(93) == 2 ? .udp : .tcp)  // result, socktype
        let asked = i64(40)  // asked
        self.asked = asked < 0 ? nil : Int(asked)
        offset = u64(56)  // offset
        fd = i32(64)  // fd
        errorNumber = i32(68)  // err
        flags = i32(72)  // flags
        outFlags = i32(76)  // out_flags
        optionLevel = i32(80)  // opt_level
        optionName = i32(84)  // opt_name
        optionValue = i32(88)  // opt_value
        role = Role(rawValue: u8(92)) ?? .unknown  // role
        let family = u8(94)  // family
        payloadCut = u8(95) != 0  // payload_cut
        dataSource = DataSource(rawValue: u8(137)) ?? .buffer  // data_source
        batchIndex = Int(u16(138))  // batch_index
        batchCount = Int(u16(140))  // batch_count
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
        payload = payloadLength > 0 ? Array(message[(base + TraceRecord.size)...]) : nil
    }

    /// `enum seam_function`, by number.
    static let functionNames: [Int: String] = [
        1: "send", 2: "sendto", 3: "sendmsg", 4: "write", 5: "writev", 6: "recv", 7: "recvfrom", 8: "recvmsg",
        9: "read", 10: "readv", 11: "connect", 12: "accept", 13: "accept4", 14: "shutdown", 15: "close",
        16: "setsockopt", 17: "sendmmsg", 18: "recvmmsg", 19: "sendfile", 20: "splice", 21: "close_range",
        32: "process-start", 33: "process-fork", 34: "process-exec", 35: "process-exec-failed",
        36: "process-spawn",
    ]
}
