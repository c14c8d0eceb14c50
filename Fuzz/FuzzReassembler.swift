/// The `reassembler` target: a `FuzzSegmentScript` conversation fed to a pair of `TCPReassembler`s directly, the
/// way `FlowTable` drives them (the peer's acknowledgments first, SYN sequence numbers plus one, a SYN-ACK that
/// rebases its direction, recent bytes released at the first FIN or RST, `finish` at the end), with no flow
/// table, consumers or packets in between: the reassembly rules at tens of thousands of inputs a second.
///
/// The last header byte's low 3 bits set how much each direction keeps behind a hole (256 B to 32 KiB), so the
/// limit that declares a gap at once is reached too. Checked after every operation: data and gaps contiguous
/// from offset 0, none empty, and the reassembler's counters equal to what it delivered.
enum FuzzReassembler {
    /// What one direction delivered, checked as it comes.
    final class Deliveries {
        var next: UInt64 = 0
        var data: UInt64 = 0
        var gapBytes: UInt64 = 0
        var gaps = 0

        func take(_ delivery: TCPReassembler.Delivery) {
            switch delivery {
            case .data(let bytes, let offset, _):
                precondition(!bytes.isEmpty, "empty data at \(offset)")
                precondition(offset == next, "data at \(offset), expected \(next)")
                next += UInt64(bytes.count)
                data += UInt64(bytes.count)
            case .gap(let offset, let length, _):
                precondition(length > 0, "empty gap at \(offset)")
                precondition(offset == next, "gap at \(offset), expected \(next)")
                next += length
                gapBytes += length
                gaps += 1
            }
        }

        func check(_ reassembler: TCPReassembler) {
            precondition(reassembler.nextOffset == next, "nextOffset \(reassembler.nextOffset) ≠ \(next)")
            precondition(reassembler.deliveredBytes == data, "deliveredBytes \(reassembler.deliveredBytes) ≠ \(data)")
            precondition(reassembler.gapBytes == gapBytes && reassembler.gapCount == gaps, "gap counters")
            precondition(reassembler.bufferedBytes >= 0, "negative buffered bytes")
            precondition(reassembler.nextOffset <= reassembler.highestEnd, "delivered past the highest end")
        }
    }

    static let closing: TCPFlags = [.fin, .rst]

    static func run(_ bytes: [UInt8]) {
        guard var script = FuzzSegmentScript(bytes) else { return }
        let limit = 256 << Int(script.header.last! & 0x07)
        var reassemblers = [TCPReassembler(maximumBufferedBytes: limit), TCPReassembler(maximumBufferedBytes: limit)]
        let deliveries = [Deliveries(), Deliveries()]
        var bases: [UInt32?] = [nil, nil]
        var closed = false
        var frame: Int64 = 0
        while let segment = script.next() {
            frame += 1
            let time = Timestamp(nanoseconds: frame * 1000)
            let side = segment.side
            let peer = 1 - side
            let isSYN = segment.flags.contains(.syn)
            if let base = bases[side] {
                if isSYN && segment.flags.contains(.ack) && base != segment.sequence {
                    reassemblers[side].rebase(by: segment.sequence &- base)
                    bases[side] = segment.sequence
                }
            } else {
                bases[side] = isSYN ? segment.sequence : segment.sequence &- 1
            }
            if segment.flags.contains(.ack) {
                reassemblers[peer].acknowledged(upTo: segment.acknowledgment, time: time) { deliveries[peer].take($0) }
                deliveries[peer].check(reassemblers[peer])
            }
            let (offset, marks) = reassemblers[side].receive(
                sequence: isSYN ? segment.sequence &+ 1 : segment.sequence, payload: segment.payload,
                claimedLength: segment.length, time: time
            ) { deliveries[side].take($0) }
            deliveries[side].check(reassemblers[side])
            precondition(marks.contains(.payloadCut) == (segment.payload.count < segment.length), "payloadCut mark")
            precondition(reassemblers[side].offset(of: segment.sequence) != nil, "no offset after a segment")
            _ = offset
            if !closed && !segment.flags.isDisjoint(with: closing) {
                closed = true
                reassemblers[0].releaseRecentBytes()
                reassemblers[1].releaseRecentBytes()
            }
        }
        for side in 0..<2 {
            reassemblers[side].finish()
            deliveries[side].check(reassemblers[side])
        }
    }
}
