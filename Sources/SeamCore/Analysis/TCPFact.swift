/// A TCP fact seen in a range of a direction: what the reassembly noticed there.
public enum TCPFact: Hashable, Sendable {
    case retransmissions(Int)
    case outOfOrder(Int)
    /// Bytes the capture never held.
    case captureGap(Range<UInt64>)
    case zeroWindow
    /// A RST ended the flow, sent by `side` (when known) at `time`.
    case reset(time: Timestamp, by: Side?)
    /// Segments larger than the MSS (GSO/TSO or BIG TCP on the capturing host): segment sizes say nothing
    /// about the network's MSS.
    case superSegments
}
