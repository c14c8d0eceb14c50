import SeamCore

/// Turns the records of a traced program into session calls with `leg=app`, on the byte axes of the
/// session format.
///
/// - `connection`: one number per socket (per process), 1-based in order of first call; an unconnected UDP
///   socket gets one per peer address, since each peer is its own flow on the wire.
/// - `direction`: from the socket's role: a client's sends are `c2s`, a server's sends `s2c`.
/// - `offset`: the socket's byte count in that direction before the call (SeamPreload counts TCP; UDP is
///   counted here, per peer).
/// - `source`/`destination`: the endpoints in the direction of the data (a send: local → peer; a recv:
///   peer → local); for calls that move none: client → server, as the proxy writes accept and connect.
/// - `program`: the libc function, pid, tid, command, fd, entry time, MSG_* flags passed and returned, the
///   options set by setsockopt since the socket's previous call, and the kernel's TCP state when known; `truncatedBytes` (bytes a datagram lost, when
///   MSG_TRUNC says), `failure` for a failed call (`call=error`), `shutdownHow` for shutdown.
///
/// Not thread-safe; one translator per trace.
public struct CallTranslator: Sendable {
    struct SocketKey: Hashable {
        var pid: UInt32
        var socket: UInt64
    }

    struct ConnectionKey: Hashable {
        var socket: SocketKey
        /// The peer of an unconnected UDP socket's call; `nil` for every other socket.
        var peer: Endpoint?
    }

    struct ConnectionState {
        var number: Int
        var sent: UInt64 = 0
        var received: UInt64 = 0
    }

    private var connections: [ConnectionKey: ConnectionState] = [:]
    private var connectionsOfSocket: [SocketKey: [ConnectionKey]] = [:]
    private var pendingOptions: [SocketKey: ProgramCall.SocketOptions] = [:]
    private var nextConnection = 1
    /// The local endpoints of every traced socket seen, to pick the captured packets that are theirs.
    public private(set) var localEndpoints: Set<Endpoint> = []

    public init() {}

    /// The number of connections seen so far.
    public var connectionCount: Int { nextConnection - 1 }

    /// The session calls for one record: none for a setsockopt (its words go on the socket's next call) or
    /// for the close of a socket that never carried a connection (a listener); several for the close of an
    /// unconnected UDP socket that talked to several peers.
    public mutating func translate(_ record: TraceRecord) -> [SessionCall] {
        let socket = SocketKey(pid: record.pid, socket: record.socketID)
        if let local = record.local { localEndpoints.insert(local) }
        switch record.operation {
        case .setsockopt:
            if record.result == 0 { Self.note(record, in: &pendingOptions[socket, default: .init()]) }
            return []
        case .close, .shutdown:
            guard let keys = connectionsOfSocket[socket] else { return [] }
            if record.operation == .close {
                connectionsOfSocket[socket] = nil
            }
            var calls: [SessionCall] = []
            for key in keys {
                guard let state = connections[key] else { continue }
                if record.operation == .close { connections[key] = nil }
                calls.append(call(for: record, socket: socket, connection: state.number, peer: key.peer))
            }
            if record.operation == .close { pendingOptions[socket] = nil }
            return calls
        case .send, .recv, .connect, .accept:
            // A UDP socket's calls are split by peer (a connected one always has the same peer).
            let key = ConnectionKey(socket: socket, peer: record.transport == .udp ? record.peer : nil)
            var state = connections[key] ?? newConnection(key)
            var call = call(for: record, socket: socket, connection: state.number, peer: key.peer)
            if record.transport == .udp, call.kind == .send || call.kind == .recv, record.flags & Self.msgPeek == 0 {
                let moved = UInt64(call.length ?? 0)
                if call.kind == .send {
                    call.offset = state.sent
                    state.sent += moved
                } else {
                    call.offset = state.received
                    state.received += moved
                }
            }
            connections[key] = state
            return [call]
        }
    }

    private mutating func newConnection(_ key: ConnectionKey) -> ConnectionState {
        let state = ConnectionState(number: nextConnection)
        nextConnection += 1
        connectionsOfSocket[key.socket, default: []].append(key)
        return state
    }

    private mutating func call(for record: TraceRecord, socket: SocketKey, connection: Int, peer: Endpoint?)
        -> SessionCall
    {
        let peer = peer ?? record.peer
        let isClient = record.role != .server
        let client = isClient ? record.local : peer
        let server = isClient ? peer : record.local
        var call = SessionCall(
            kind: .error, connection: connection, leg: .app, transport: record.transport, timestamp: record.end)
        var program = ProgramCall(pid: record.pid, tid: record.tid, command: record.command, function: record.function)
        program.kernel = record.kernel
        program.fileDescriptor = record.fd
        program.entryTime = record.start
        program.flags = MessageFlags(rawValue: record.flags)
        program.returnedFlags = MessageFlags(rawValue: record.outFlags)
        let failed = record.result < 0 && !(record.operation == .connect && record.errorNumber == Self.einprogress)
        switch record.operation {
        case .send, .recv:
            let sends = record.operation == .send
            call.direction = (sends == isClient) ? .clientToServer : .serverToClient
            call.source = sends ? record.local : peer
            call.destination = sends ? peer : record.local
            call.bufferSize = record.asked
            if !failed {
                call.kind = sends ? .send : .recv
                call.offset = record.offset
                let asked = record.asked ?? record.result
                call.length = min(record.result, asked)
                call.payload = record.payload
                if !sends, record.transport == .udp, record.result > asked, record.flags & Self.msgTrunc != 0 {
                    call.truncatedBytes = record.result - asked
                }
                call.isPayloadCut = record.payloadCut
            }
        case .connect, .accept:
            call.kind = record.operation == .connect ? .connect : .accept
            call.source = client
            call.destination = server
            if record.operation == .connect, record.errorNumber == Self.einprogress {
                call.failure = CallFailure(errorNumber: ErrorNumber(record.errorNumber))
            }
        case .shutdown:
            call.kind = .shutdown
            call.source = client
            call.destination = server
            call.shutdownHow = SessionCall.ShutdownHow(code: max(0, min(2, record.optionLevel)))
        case .close:
            call.kind = .close
            call.source = client
            call.destination = server
        case .setsockopt:
            break
        }
        if failed {
            call.kind = .error
            call.failure = CallFailure(operation: record.function, errorNumber: ErrorNumber(record.errorNumber))
        }
        if let options = pendingOptions.removeValue(forKey: socket) { program.options = options }
        call.program = program
        return call
    }

    static let msgPeek: Int32 = 0x2
    static let msgTrunc: Int32 = 0x20
    static let einprogress: Int32 = 115

    /// Records a socket option SeamPreload reports (TCP_NODELAY, TCP_CORK, SO_RCVBUF, SO_SNDBUF) into `options`.
    static func note(_ record: TraceRecord, in options: inout ProgramCall.SocketOptions) {
        switch (record.optionLevel, record.optionName) {
        case (6, 1): options.noDelay = record.optionValue  // IPPROTO_TCP, TCP_NODELAY
        case (6, 3): options.cork = record.optionValue  // IPPROTO_TCP, TCP_CORK
        case (1, 8): options.receiveBuffer = record.optionValue  // SOL_SOCKET, SO_RCVBUF
        case (1, 7): options.sendBuffer = record.optionValue  // SOL_SOCKET, SO_SNDBUF
        default: break
        }
    }
}
