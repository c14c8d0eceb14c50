/// One direction of a TCP socket as a byte axis, read from the kernel's sequence numbers: `write_seq` at a
/// send, `copied_seq` at a recv. Offset 0 is the sequence number it was started with: the byte after the
/// SYN when the socket's connect or accept was seen, else the first byte of the first call seen.
///
/// Sequence numbers wrap at 2³²; the axis does not (a connection may move more than 4 GiB). A number a
/// little behind the last one (two threads calling at once) maps behind it, never forward by 4 GiB.
///
/// ```
/// var axis = SequenceAxis(base: 4_294_967_290)
/// axis.offset(of: 4_294_967_295)  // 5
/// axis.offset(of: 10)             // 16: past the wrap
/// ```
struct SequenceAxis: Sendable, Equatable {
    private var lastSequence: UInt32
    private var lastOffset: UInt64 = 0

    init(base: UInt32) {
        lastSequence = base
    }

    mutating func offset(of sequence: UInt32) -> UInt64 {
        let ahead = sequence &- lastSequence
        if Int32(bitPattern: ahead) >= 0 {
            lastOffset += UInt64(ahead)
            lastSequence = sequence
            return lastOffset
        }
        let behind = UInt64(lastSequence &- sequence)
        return behind <= lastOffset ? lastOffset - behind : 0
    }
}
