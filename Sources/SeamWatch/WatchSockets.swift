import SeamCore
import SeamTrace

/// Turns the BPF program's events into `TraceRecord`s, so that `CallTranslator` numbers, orients and places
/// them exactly as it does the calls of `seam trace`. This is where the watch's policy is:
///
/// - **Role** (which end is the client): a socket that connect()ed is the client, one that accept() returned
///   the server. A TCP socket first seen in the middle of its life (`--pid` of a running server) is a server
///   when its local port is listening (`isListening`), else it takes the role of its first data call (a
///   send first: client), as SeamPreload does; a UDP socket likewise.
/// - **Offsets** (TCP): from the kernel's sequence numbers (`SequenceAxis`), so a call the ring lost leaves a
///   hole instead of shifting every later offset, and bytes moved by sendfile and splice count. UDP is
///   counted per peer by the translator.
/// - **Endpoints**: IPv4-mapped addresses are IPv4; an unconnected UDP socket's wildcard address towards a
///   loopback peer is the loopback address, which is what the capture shows.
/// - **Errors**: a negative result is `-errno`: the record has result -1 and the errno, as libc reports it.
///
/// Sockets are known by their inode number; one is forgotten at its close.
struct WatchSockets {
    struct Socket {
        var role: TraceRecord.Role = .unknown
        var sent: SequenceAxis?
        var received: SequenceAxis?
        /// The socket's own endpoint as last seen with a specific address (an unconnected UDP socket's
        /// wildcard is replaced by the address towards its peer), for its close.
        var local: Endpoint?
    }

    private(set) var sockets: [UInt64: Socket] = [:]
    var clock = WatchClock()
    /// Whether a local TCP port is listening (a server's accepted sockets share its port).
    var isListening: (UInt16) -> Bool

    init(isListening: @escaping (UInt16) -> Bool = { ListeningPorts.current().contains($0) }) {
        self.isListening = isListening
    }

    static let einprogress: Int64 = 115

    mutating func record(for event: WatchEvent) -> TraceRecord {
        var socket = sockets[event.socket] ?? Socket()
        let operation = event.syscall.operation(way: event.way)
        switch operation {
        case .connect:
            socket.role = .client
            if let tcp = event.tcp, event.result == 0 || event.result == -Self.einprogress {
                socket.sent = SequenceAxis(base: tcp.sequence)
                if tcp.otherSequence != 0 { socket.received = SequenceAxis(base: tcp.otherSequence) }
            }
        case .accept:
            socket.role = .server
            if let tcp = event.tcp {
                socket.sent = SequenceAxis(base: tcp.sequence)
                socket.received = SequenceAxis(base: tcp.otherSequence)
            }
        case .send, .recv:
            if socket.role == .unknown {
                if event.transport == .tcp, let port = event.local?.port, isListening(port) {
                    socket.role = .server
                } else {
                    socket.role = operation == .send ? .client : .server
                }
            }
        default:
            break
        }
        var offset: UInt64 = 0
        if let tcp = event.tcp, event.transport == .tcp, operation == .send || operation == .recv {
            if operation == .send {
                if socket.sent == nil { socket.sent = SequenceAxis(base: tcp.sequence) }
                offset = socket.sent!.offset(of: tcp.sequence)
            } else {
                if socket.received == nil { socket.received = SequenceAxis(base: tcp.sequence) }
                offset = socket.received!.offset(of: tcp.sequence)
            }
        }
        var local = event.local
        if var own = local, own.address == .v4(0) || own.address == .v6(0, 0) {
            if let peer = event.peer {
                switch peer.address {
                case .v4(let value) where value >> 24 == 127: own.address = .v4(0x7F00_0001)
                case .v6(0, 1): own.address = .v6(0, 1)
                default: break
                }
                local = own
            } else if let known = socket.local, known.port == own.port {
                local = known
            }
        }
        if let local, local.address != .v4(0) && local.address != .v6(0, 0) { socket.local = local }
        if operation == .close { sockets[event.socket] = nil } else { sockets[event.socket] = socket }

        let failed = event.result < 0
        let movesData = operation == .send || operation == .recv
        var kernel: KernelSocketState?
        if movesData, let tcp = event.tcp {
            kernel = KernelSocketState(
                noDelay: tcp.nonagle & 1 != 0,
                cork: tcp.nonagle & 2 != 0,
                packetsInFlight: tcp.packetsOut,
                mss: tcp.mss,
                congestionWindow: tcp.congestionWindow,
                unsentBytes: tcp.unsent,
                unreadBytes: tcp.unread
            )
        }
        return TraceRecord(
            operation: operation,
            function: event.syscall.name(addressGiven: event.details.contains(.addressGiven)),
            pid: event.pid,
            tid: event.tid,
            socketID: event.socket,
            start: clock.realtime(
                monotonic: event.startNanoseconds == 0 ? event.endNanoseconds : event.startNanoseconds
            ),
            end: clock.realtime(monotonic: event.endNanoseconds),
            asked: movesData ? event.asked.map { Int($0) } : nil,
            result: failed ? -1 : Int(event.result),
            offset: offset,
            fd: event.fd,
            errorNumber: failed ? Int32(truncatingIfNeeded: -event.result) : 0,
            flags: operation == .shutdown ? 0 : event.flags,
            outFlags: event.messageFlags,
            shutdownHow: operation == .shutdown ? event.flags : 0,
            role: socket.role,
            transport: event.transport,
            local: local,
            peer: event.peer,
            payload: event.payload.isEmpty ? nil : event.payload,
            payloadCut: event.details.contains(.payloadCut),
            command: event.command,
            kernel: kernel
        )
    }
}
