/// One socket call of the proxy, as the session file records it: an EPB on the session's interface of link
/// type 252 (`LINKTYPE_WIRESHARK_UPPER_PDU`) whose exported-PDU tags give addresses and ports, whose payload
/// is the bytes the call moved (optional), and whose `opt_comment` states the call in words:
///
/// ```
/// call=recv conn=3 leg=downstream dir=c2s off=4096 len=1024 buf=1024 proto=tcp src=127.0.0.1:51000 dst=…
/// ```
///
/// Offsets are on the direction's byte axis, so a call and a captured segment compare by arithmetic.
public struct SessionCall: Sendable, Hashable {
    /// The call (`call=`).
    public var kind: Kind
    /// The proxy's connection number, 1-based in accept order (`conn=`).
    public var connection: Int
    /// The leg the call was on (`leg=`).
    public var leg: Leg
    /// Direction of the bytes the call moved (`dir=`); `nil` for calls that move none.
    public var direction: Direction?
    /// Offset of the call's first byte on the direction's byte axis (`off=`).
    public var offset: UInt64?
    /// Bytes the call moved (`len=`).
    public var length: Int?
    /// The buffer size asked for, e.g. the N of `recv(N)` (`buf=`).
    public var bufferSize: Int?
    /// TCP or UDP (`proto=`).
    public var transport: Transport
    /// The leg's endpoint the data came from (client for accept/connect).
    public var source: Endpoint?
    /// The leg's endpoint the data went to (server for accept/connect).
    public var destination: Endpoint?
    /// When the call returned (CLOCK_REALTIME, like captured packets).
    public var timestamp: Timestamp
    /// The bytes the call moved, when recorded.
    public var payload: [UInt8]?
    /// Further words in order, e.g. `error=ECONNREFUSED`, `truncated=976`, `delay=400`.
    public var extra: [CommentWord]

    public init(
        kind: Kind, connection: Int, leg: Leg, direction: Direction? = nil, offset: UInt64? = nil,
        length: Int? = nil, bufferSize: Int? = nil, transport: Transport = .tcp, source: Endpoint? = nil,
        destination: Endpoint? = nil, timestamp: Timestamp, payload: [UInt8]? = nil, extra: [CommentWord] = []
    ) {
        self.kind = kind
        self.connection = connection
        self.leg = leg
        self.direction = direction
        self.offset = offset
        self.length = length
        self.bufferSize = bufferSize
        self.transport = transport
        self.source = source
        self.destination = destination
        self.timestamp = timestamp
        self.payload = payload
        self.extra = extra
    }

    /// The value of the first extra word named `key`.
    public func extraValue(_ key: String) -> String? {
        extra.first { $0.key == key }?.value
    }
}
