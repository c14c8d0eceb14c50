import SeamCore

extension TraceRecord {
    /// A record made from its fields, by a recorder that does not speak SeamPreload's channel: `seam watch`
    /// turns its eBPF events into records so that `CallTranslator` numbers, orients and places the calls of
    /// both recorders the same way. The fields mean what they mean in a decoded record; `offset` is the
    /// socket's byte count in the call's direction before the call (TCP; UDP is counted by the translator).
    public init(
        operation: Operation,
        function: String,
        pid: UInt32,
        tid: UInt32,
        socketID: UInt64,
        start: Timestamp,
        end: Timestamp,
        asked: Int?,
        result: Int,
        offset: UInt64 = 0,
        fd: Int32,
        errorNumber: Int32 = 0,
        flags: Int32 = 0,
        outFlags: Int32 = 0,
        shutdownHow: Int32 = 0,
        role: Role,
        transport: Transport,
        local: Endpoint?,
        peer: Endpoint?,
        payload: [UInt8]? = nil,
        payloadCut: Bool = false,
        command: String? = nil,
        kernel: KernelSocketState? = nil
    ) {
        self.operation = operation
        self.function = function
        self.pid = pid
        self.tid = tid
        self.socketID = socketID
        self.start = start
        self.end = end
        self.asked = asked
        self.result = result
        self.offset = offset
        self.fd = fd
        self.errorNumber = errorNumber
        self.flags = flags
        self.outFlags = outFlags
        self.optionLevel = operation == .shutdown ? shutdownHow : 0
        self.optionName = 0
        self.optionValue = 0
        self.role = role
        self.transport = transport
        self.local = local
        self.peer = peer
        self.payloadCut = payloadCut
        self.payload = payload
        self.command = command
        self.kernel = kernel
    }
}
