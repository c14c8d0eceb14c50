/// One socket call, as every recorder of Seam states it and the session file keeps it: the proxy's own reads
/// and writes, a demo peer's, a traced or watched program's. One model for all of them; `SessionWriter`
/// writes it and `SessionReader` reads it back.
///
/// In the file it is an EPB on the session's calls interface (link type 252, `LINKTYPE_WIRESHARK_UPPER_PDU`)
/// whose exported-PDU tags give the addresses, ports, the protocol and info columns, whose payload is the
/// bytes the call moved (optional), and whose `opt_comment` states the call in words:
///
/// ```
/// call=recv conn=3 leg=downstream dir=c2s off=4096 len=1024 buf=1024 proto=tcp src=127.0.0.1:51000 dst=…
/// ```
///
/// Offsets are on the direction's byte axis, so a call and a captured segment compare by arithmetic.
public struct SessionCall: Sendable, Hashable {
    /// The call (`call=`).
    public var kind: Kind
    /// The connection number, 1-based in accept order for the proxy, per socket for a program (`conn=`).
    public var connection: Int
    /// The leg the call was on (`leg=`).
    public var leg: Leg
    /// TCP or UDP (`proto=`).
    public var transport: Transport
    /// Direction of the bytes the call moved (`dir=`); `nil` for calls that move none.
    public var direction: Direction?
    /// Offset of the call's first byte on the direction's byte axis (`off=`).
    public var offset: UInt64?
    /// Bytes the call moved (`len=`): 0 for the read that returned end-of-file.
    public var length: Int?
    /// The buffer size asked for, e.g. the N of `recv(N)`, or the bytes a `send` was asked to write (`buf=`).
    public var bufferSize: Int?
    /// The leg's endpoint the data came from (client for accept, connect, shutdown and close).
    public var source: Endpoint?
    /// The leg's endpoint the data went to (server for accept, connect, shutdown and close).
    public var destination: Endpoint?
    /// When the call returned (CLOCK_REALTIME, like captured packets).
    public var timestamp: Timestamp
    /// The bytes the call moved, when recorded.
    public var payload: [UInt8]?
    /// A UDP read: the bytes of the datagram beyond what the read returned (`truncated=`).
    public var truncatedBytes: Int?
    /// Whether `payload` holds only the first bytes the call moved (`payload-cut=1`): the recorder's limit.
    public var isPayloadCut = false
    /// Why the call failed (`op=`, `error=`, `errno=`): on `call=error`, and on a non-blocking connect.
    public var failure: CallFailure?
    /// A shutdown's `how` (`how=`).
    public var shutdownHow: ShutdownHow?
    /// What the proxy did to the bytes on purpose (`rechunk=`): a write it cut or joined (`seam proxy --rechunk`).
    public var rechunk: Rechunk?
    /// Who made the call, when a program's own calls were recorded (trace, watch): process, thread, function.
    public var program: ProgramCall?
    /// Words Seam does not know, kept in their order.
    public var extra: [CommentWord] = []

    public init(
        kind: Kind, connection: Int, leg: Leg, transport: Transport = .tcp, direction: Direction? = nil,
        offset: UInt64? = nil, length: Int? = nil, bufferSize: Int? = nil, source: Endpoint? = nil,
        destination: Endpoint? = nil, timestamp: Timestamp, payload: [UInt8]? = nil
    ) {
        self.kind = kind
        self.connection = connection
        self.leg = leg
        self.transport = transport
        self.direction = direction
        self.offset = offset
        self.length = length
        self.bufferSize = bufferSize
        self.source = source
        self.destination = destination
        self.timestamp = timestamp
        self.payload = payload
    }

    /// The byte range the call moved on its direction's axis, when it moved bytes.
    public var byteRange: Range<UInt64>? {
        guard let offset, let length else { return nil }
        return offset..<(offset + UInt64(length))
    }
}
