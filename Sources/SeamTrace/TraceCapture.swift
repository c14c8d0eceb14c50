import NIOConcurrencyHelpers
import SeamCore

/// Packets captured while a program is traced, handed from a capture thread to the tracer, which writes
/// them into the session on their own interface, in timestamp order with the calls.
///
/// The capture itself (libpcap) belongs to the caller (`seam trace` uses SeamCapture's `LiveCapture`), so
/// SeamTrace needs no libpcap. Only packets of the traced program's sockets are kept: a packet is written when
/// its source or destination is the local endpoint of a traced socket, judged when it leaves the 100 ms
/// reorder window, by which time the socket's connect/accept/first call has been read.
public final class TraceCapture: Sendable {
    /// The capture's link type, snaplen and interface name, for the session's IDB.
    public let linkType: LinkType
    public let snapLength: Int
    public let interfaceName: String
    private let stopCapture: @Sendable () -> Void
    private let packets = NIOLockedValueBox<[(timestamp: Timestamp, data: [UInt8], originalLength: Int)]>([])

    /// - Parameter stop: stops the capture and returns once every packet was passed to `add` (called once,
    ///   after the program has exited).
    public init(linkType: LinkType, snapLength: Int, interfaceName: String, stop: @escaping @Sendable () -> Void) {
        self.linkType = linkType
        self.snapLength = snapLength
        self.interfaceName = interfaceName
        self.stopCapture = stop
    }

    /// Hands over one captured packet (from the capture's delivery thread).
    public func add(timestamp: Timestamp, data: [UInt8], originalLength: Int) {
        packets.withLockedValue { $0.append((timestamp, data, originalLength)) }
    }

    /// Takes the packets handed over so far (the tracer's or watcher's loop).
    public func take() -> [(timestamp: Timestamp, data: [UInt8], originalLength: Int)] {
        packets.withLockedValue { packets in
            defer { packets.removeAll(keepingCapacity: true) }
            return packets
        }
    }

    /// Stops the capture; every packet it stamped has been handed over when this returns.
    public func stop() { stopCapture() }
}
