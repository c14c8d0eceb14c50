/// What a recorder knew of one send or recv call beyond its byte range: who made it (thread, process), when
/// it was entered, its flags, the kernel's socket state at a send, how it failed. Held by reference, so the
/// ranges of segments (which have none) stay small.
public final class CallDetail: Hashable, Sendable {
    /// The thread that made the call, when a program's own calls were recorded.
    public let thread: UInt32?
    public let process: ProcessName?
    /// When the call was entered (the range's `time` is when the bytes were in the kernel, or were read).
    public let entryTime: Timestamp?
    public let flags: MessageFlags
    public let returnedFlags: MessageFlags
    public let kernel: KernelSocketState?
    /// A send that failed (EAGAIN on a non-blocking socket: it wrote nothing).
    public let failure: CallFailure?
    /// What `seam proxy --rechunk` did to this write.
    public let rechunk: SessionCall.Rechunk?

    public init(
        thread: UInt32? = nil, process: ProcessName? = nil, entryTime: Timestamp? = nil, flags: MessageFlags = [],
        returnedFlags: MessageFlags = [], kernel: KernelSocketState? = nil, failure: CallFailure? = nil,
        rechunk: SessionCall.Rechunk? = nil
    ) {
        self.thread = thread
        self.process = process
        self.entryTime = entryTime
        self.flags = flags
        self.returnedFlags = returnedFlags
        self.kernel = kernel
        self.failure = failure
        self.rechunk = rechunk
    }

    /// The detail of a session call, or `nil` when it has nothing beyond its range.
    static func of(_ call: SessionCall) -> CallDetail? {
        guard call.program != nil || call.failure != nil || call.rechunk != nil else { return nil }
        let program = call.program
        return CallDetail(
            thread: program?.tid, process: program.map { ProcessName(pid: $0.pid, command: $0.command) },
            entryTime: program?.entryTime, flags: program?.flags ?? [], returnedFlags: program?.returnedFlags ?? [],
            kernel: program?.kernel, failure: call.failure, rechunk: call.rechunk)
    }

    public static func == (lhs: CallDetail, rhs: CallDetail) -> Bool {
        lhs.thread == rhs.thread && lhs.process == rhs.process && lhs.entryTime == rhs.entryTime
            && lhs.flags == rhs.flags && lhs.returnedFlags == rhs.returnedFlags && lhs.kernel == rhs.kernel
            && lhs.failure == rhs.failure && lhs.rechunk == rhs.rechunk
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(thread)
        hasher.combine(entryTime)
        hasher.combine(flags.rawValue)
    }
}
