import NIOCore
import SeamCore

/// One socket call the proxy made, as the live output and the session file state it.
///
/// `payload` holds the bytes the call moved as a `ByteBuffer` (a reference to the read buffer, no copy on
/// the event loop); sinks that keep it copy it off the loop.
public struct ProxyCall: Sendable {
    /// What the proxy did on the socket.
    public enum Kind: String, Sendable, CaseIterable {
        case accept, connect, recv, send, shutdown, close, reset, error
    }

    public var kind: Kind
    /// The proxy's connection number (1, 2, … in order of accept; for UDP, of first datagram).
    public var connection: Int
    public var leg: Leg
    /// The direction whose byte axis `offset` is on; `nil` for calls without bytes (accept, connect, close…).
    public var direction: Direction?
    /// First byte of the call on the direction's axis.
    public var offset: UInt64?
    /// Bytes the call moved (0 for the end-of-file read).
    public var length: Int?
    /// The buffer size the read asked for, when it was fixed (`--recv-size`).
    public var bufferSize: Int?
    public var transport: Transport
    /// Where the bytes came from (for accept: the client; for connect: the proxy's ephemeral endpoint).
    public var source: Endpoint?
    /// Where the bytes went (for accept: the listening endpoint; for connect: the server).
    public var destination: Endpoint?
    public var timestamp: Timestamp
    /// The bytes moved, when the proxy keeps payload.
    public var payload: ByteBuffer?
    /// Further `key=value` words in order (`truncated=K`, `errno=…`).
    public var extra: [(key: String, value: String)]

    public init(
        kind: Kind, connection: Int, leg: Leg, direction: Direction? = nil, offset: UInt64? = nil,
        length: Int? = nil, bufferSize: Int? = nil, transport: Transport = .tcp, source: Endpoint? = nil,
        destination: Endpoint? = nil, timestamp: Timestamp = .now(), payload: ByteBuffer? = nil,
        extra: [(key: String, value: String)] = []
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

    /// The value of an extra word, if present.
    public func extra(_ key: String) -> String? {
        extra.first { $0.key == key }?.value
    }
}
