import SeamCore

/// One socket call of a traced program as SeamPreload reports it: a fixed 144-byte record, host byte order
/// (little-endian), then the bytes the call moved when payload is on. The layout is documented field by field
/// in `Sources/SeamPreload/include/seam_preload.h`, the one source of the format; `Layout` holds its offsets
/// (a test checks them against the header).
///
/// Other recorders of a program's calls (`seam watch`) build records from their fields
/// (`TraceRecord+Fields.swift`) and hand them to the same `CallTranslator`.
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
    /// The process's command name, when the recorder knows it (`seam watch` reads it in the kernel; for
    /// SeamPreload's records `ProgramTracer` takes it from the process's start record).
    public var command: String? = nil
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
    public var dataSource: DataSource = .buffer
    /// sendmmsg/recvmmsg: this message's index in the call and the messages the call moved; else 0 and 0.
    public var batchIndex = 0
    public var batchCount = 0
    public var payload: [UInt8]?
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
        typealias L = Layout  // the offsets of seam_preload.h
        let length = Int(u32(L.length))
        guard length == message.count, u16(L.version) == TraceRecord.version,
            let operation = Operation(rawValue: u16(L.op))
        else { return nil }
        let payloadLength = Int(u32(L.payloadLength))
        guard TraceRecord.size + payloadLength == length else { return nil }
        let family = u8(L.family)
        func endpoint(addressAt offset: Int, port: UInt16) -> Endpoint? {
            guard port != 0, family == 4 || family == 6 else { return nil }
            var bytes = message[(base + offset)..<(base + offset + (family == 4 ? 4 : 16))]
            // An IPv4-mapped IPv6 address (::ffff:a.b.c.d, a dual-stack socket) is IPv4 on the wire.
            if family == 6, bytes.prefix(10).allSatisfy({ $0 == 0 }), bytes.dropFirst(10).prefix(2) == [0xFF, 0xFF] {
                bytes = bytes.suffix(4)
            }
            return IPAddress(bytes: bytes).map { Endpoint(address: $0, port: port) }
        }
        var local = endpoint(addressAt: L.localAddress, port: u16(L.localPort))
        let peer = endpoint(addressAt: L.peerAddress, port: u16(L.peerPort))
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
        let asked = i64(L.asked)
        self.init(
            operation: operation,
            function: TraceRecord.functionNames[Int(u8(L.function))] ?? "unknown",
            pid: u32(L.pid),
            tid: u32(L.tid),
            socketID: u64(L.socketID),
            start: Timestamp(nanoseconds: i64(L.startNanoseconds)),
            end: Timestamp(nanoseconds: i64(L.endNanoseconds)),
            asked: asked < 0 ? nil : Int(asked),
            result: Int(i64(L.result)),
            offset: u64(L.offset),
            fd: i32(L.fd),
            errorNumber: i32(L.err),
            flags: i32(L.flags),
            outFlags: i32(L.outFlags),
            role: Role(rawValue: u8(L.role)) ?? .unknown,
            transport: u8(L.socketType) == 2 ? .udp : .tcp,
            local: local,
            peer: peer,
            payloadCut: u8(L.payloadCut) != 0
        )
        optionLevel = i32(L.optionLevel)
        optionName = i32(L.optionName)
        optionValue = i32(L.optionValue)
        dataSource = DataSource(rawValue: u8(L.dataSource)) ?? .buffer
        batchIndex = Int(u16(L.batchIndex))
        batchCount = Int(u16(L.batchCount))
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
