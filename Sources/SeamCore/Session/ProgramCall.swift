/// What a recorder of a program's own calls (`seam trace`, `seam watch`, the demo peers) knows beyond the
/// call itself: who made it, which function, when it was entered, its flags and the socket's options.
/// In a session call these are the words `fn pid tid comm fd took-ns stamp flags msg-flags data batch nodelay
/// cork rcvbuf sndbuf` and the `k-` words of the kernel's state.
///
/// Times: a call has an entry and a return time; the call's `SessionCall.timestamp` is one of them (a recorder
/// of program calls stamps what puts bytes on the wire, sends, at entry, and what takes them, recvs, at return:
/// see `CallTranslator`). `took-ns=` is the time between them, `stamp=entry` says the timestamp is the entry.
public struct ProgramCall: Sendable, Hashable {
    /// The process and thread (`pid=`, `tid=`).
    public var pid: UInt32
    public var tid: UInt32
    /// The process's command name (`comm=`), when known.
    public var command: String?
    /// The libc function or system call, e.g. `sendto` (`fn=`).
    public var function: String?
    /// The socket's file descriptor (`fd=`).
    public var fileDescriptor: Int32?
    /// When the call was entered (`took-ns=` is the time from entry to return).
    public var entryTime: Timestamp?
    /// When the call returned. With both times set, the call's timestamp is one of them (`stamp=entry` when it
    /// is the entry time); with `entryTime` alone, the timestamp is the return time.
    public var returnTime: Timestamp?
    /// The MSG_* flags passed (`flags=`; accept4: its SOCK_* flags).
    public var flags: MessageFlags = []
    /// The msg_flags returned, e.g. MSG_TRUNC (`msg-flags=`).
    public var returnedFlags: MessageFlags = []
    /// Where the bytes came from or went to (`data=kernel` for `.kernel`).
    public var dataPath: DataPath = .buffer
    /// sendmmsg/recvmmsg: this message's place in the batch the call moved (`batch=INDEX/COUNT`).
    public var batch: Batch?
    /// Socket options set since the socket's previous call (`nodelay=`, `cork=`, `rcvbuf=`, `sndbuf=`).
    public var options = SocketOptions()
    /// The kernel's state of the socket at a send, when the recorder could read it (eBPF).
    public var kernel: KernelSocketState?

    public init(pid: UInt32, tid: UInt32, command: String? = nil, function: String? = nil) {
        self.pid = pid
        self.tid = tid
        self.command = command
        self.function = function
    }

    /// Where a data call's bytes came from or went to.
    public enum DataPath: String, Sendable, Hashable {
        /// The program's own buffer: the payload is recorded when the recorder keeps payload.
        case buffer
        /// Inside the kernel, between a file or pipe and the socket (sendfile, splice): the bytes are counted,
        /// and the call never has payload, whatever the recorder keeps.
        case kernel
    }

    /// One message of a call that moves several (sendmmsg, recvmmsg): each is its own session call.
    public struct Batch: Sendable, Hashable {
        /// The message's index in the call, from 0.
        public var index: Int
        /// The messages the call moved.
        public var count: Int

        public init(index: Int, count: Int) {
            self.index = index
            self.count = count
        }
    }

    /// Socket options a program set, each `nil` when not set.
    public struct SocketOptions: Sendable, Hashable {
        public var noDelay: Int32?
        public var cork: Int32?
        public var receiveBuffer: Int32?
        public var sendBuffer: Int32?

        public init() {}

        public var isEmpty: Bool { noDelay == nil && cork == nil && receiveBuffer == nil && sendBuffer == nil }
    }
}

/// A TCP socket's state as the kernel held it when a send or a recv was entered (`seam watch` reads it in the
/// same probe): what decides whether a send leaves at once or waits to be joined with the next (Nagle, cork),
/// and what a recv found waiting. Words: `k-nodelay k-cork k-inflight k-mss k-cwnd k-unsent k-unread`.
public struct KernelSocketState: Sendable, Hashable {
    /// TCP_NODELAY was on (`k-nodelay=1`: `nonagle` had TCP_NAGLE_OFF).
    public var noDelay: Bool
    /// TCP_CORK was on (`k-cork=1`: `nonagle` had TCP_NAGLE_CORK).
    public var cork: Bool
    /// Segments sent and not yet acknowledged (`k-inflight=`: `packets_out`). With TCP_NODELAY off, a small
    /// send waits while this is above 0 (Nagle).
    public var packetsInFlight: UInt32
    /// The current MSS (`k-mss=`: `mss_cache`).
    public var mss: UInt32
    /// The congestion window in segments (`k-cwnd=`: `snd_cwnd`).
    public var congestionWindow: UInt32
    /// Bytes written before the call and not yet sent (`k-unsent=`: `write_seq - snd_nxt`): a send's bytes
    /// join these in the send queue.
    public var unsentBytes: UInt32?
    /// Bytes that had arrived and were not yet read (`k-unread=`: `rcv_nxt - copied_seq`): what a recv
    /// found waiting, so a recv that returned more than one message had them all waiting (receiver backlog).
    /// A FIN that has arrived counts 1.
    public var unreadBytes: UInt32?

    public init(
        noDelay: Bool, cork: Bool, packetsInFlight: UInt32, mss: UInt32, congestionWindow: UInt32,
        unsentBytes: UInt32? = nil, unreadBytes: UInt32? = nil
    ) {
        self.noDelay = noDelay
        self.cork = cork
        self.packetsInFlight = packetsInFlight
        self.mss = mss
        self.congestionWindow = congestionWindow
        self.unsentBytes = unsentBytes
        self.unreadBytes = unreadBytes
    }
}
