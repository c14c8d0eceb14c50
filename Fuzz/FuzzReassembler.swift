/// The `reassembler` target: a `FuzzSegmentScript` conversation fed to a pair of `TCPReassembler`s directly, the
/// way `FlowTable` drives them (the peer's acknowledgments first, SYN sequence numbers plus one, a SYN-ACK that
/// rebases its direction, recent bytes released at the first FIN or RST, `finish` at the end), with no flow
/// table, consumers or packets in between: the reassembly rules at tens of thousands of inputs a second.
///
/// The last header byte's low 3 bits set how much each direction keeps behind a hole (256 B to 32 KiB), so the
/// limit that declares a gap at once is reached too. Checked: data and gaps contiguous from offset 0, none
/// empty (as they come), a snaplen cut marked, and at the end the reassembler's counters equal to what it
/// delivered.
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
        // Two of everything, not arrays: this loop is the target's whole cost.
        var client = TCPReassembler(maximumBufferedBytes: limit)
        var server = TCPReassembler(maximumBufferedBytes: limit)
        let clientDeliveries = Deliveries()
        let serverDeliveries = Deliveries()
        var clientBase: UInt32?
        var serverBase: UInt32?
        var closed = false
        var frame: Int64 = 0
        while let segment = script.next() {
            frame += 1
            let time = Timestamp(nanoseconds: frame * 1000)
            let fromClient = segment.side == 0
            let isSYN = segment.flags.contains(.syn)
            let base = fromClient ? clientBase : serverBase
            if let base {
                if isSYN && segment.flags.contains(.ack) && base != segment.sequence {
                    if fromClient {
                        client.rebase(by: segment.sequence &- base)
                        clientBase = segment.sequence
                    } else {
                        server.rebase(by: segment.sequence &- base)
                        serverBase = segment.sequence
                    }
                }
            } else if fromClient {
                clientBase = isSYN ? segment.sequence : segment.sequence &- 1
            } else {
                serverBase = isSYN ? segment.sequence : segment.sequence &- 1
            }
            let sequence = isSYN ? segment.sequence &+ 1 : segment.sequence
            let marks: TCPSegmentMarks
            if fromClient {
                if segment.flags.contains(.ack) {
                    server.acknowledged(upTo: segment.acknowledgment, time: time) { serverDeliveries.take($0) }
                }
                marks = client.receive(
                    sequence: sequence, payload: segment.payload, claimedLength: segment.length, time: time
                ) { clientDeliveries.take($0) }.marks
            } else {
                if segment.flags.contains(.ack) {
                    client.acknowledged(upTo: segment.acknowledgment, time: time) { clientDeliveries.take($0) }
                }
                marks = server.receive(
                    sequence: sequence, payload: segment.payload, claimedLength: segment.length, time: time
                ) { serverDeliveries.take($0) }.marks
            }
            precondition(marks.contains(.payloadCut) == (segment.payload.count < segment.length), "payloadCut mark")
            if !closed && !segment.flags.isDisjoint(with: closing) {
                closed = true
                client.releaseRecentBytes()
                server.releaseRecentBytes()
            }
        }
        clientDeliveries.check(client)
        serverDeliveries.check(server)
        client.finish()
        server.finish()
        clientDeliveries.check(client)
        serverDeliveries.check(server)
    }
}
