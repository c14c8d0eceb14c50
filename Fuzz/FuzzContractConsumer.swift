/// A consumer that checks the whole `StreamConsumer` call-order contract on whatever the flow table is fed, and
/// at each flow's end that its counters say what it delivered:
///
/// - `flowStarted` once, first; `flowClosed` at most once, before `flowEnded`; `flowEnded` once, last.
/// - Per direction, data and gaps start at offset 0 and are contiguous; no empty data, no empty gap.
/// - `tcpSegment` events of the flow's own directions; data only after the packet that caused it.
/// - At the end: `streamBytes` is the data delivered, `gapBytes` and `gaps` the gaps, and data plus gaps never
///   exceed what the segments claimed.
final class FuzzContractConsumer: StreamConsumer {
    /// A class, so an event updates it in place (a struct of arrays in a dictionary copies them on write).
    private final class State {
        var closed = false
        var ended = false
        var next: [UInt64] = [0, 0]
        var data: [UInt64] = [0, 0]
        var gapBytes: [UInt64] = [0, 0]
        var gaps = [0, 0]
        var claimed: [UInt64] = [0, 0]
    }

    /// By flow index, TCP and UDP apart (ids are numbered from 0 in order of appearance).
    private var flows: [[State?]] = [[], []]
    private(set) var deliveries = 0

    private func side(_ direction: Direction) -> Int { direction == .clientToServer ? 0 : 1 }

    private func live(_ flow: FlowState, _ event: @autoclosure () -> String) -> State {
        let list = flows[flow.proto == .tcp ? 0 : 1]
        guard flow.id.index < list.count, let state = list[flow.id.index] else {
            preconditionFailure("\(event()) of \(flow.id) before flowStarted")
        }
        precondition(!state.ended, "\(event()) of \(flow.id) after flowEnded")
        return state
    }

    func flowStarted(_ flow: FlowState) {
        let kind = flow.proto == .tcp ? 0 : 1
        precondition(flow.id.index == flows[kind].count, "flowStarted out of order (or twice) for \(flow.id)")
        flows[kind].append(State())
    }

    func tcpSegment(_ segment: TCPSegmentEvent, in flow: FlowState) {
        let state = live(flow, "tcpSegment")
        precondition(segment.capturedLength <= segment.length, "captured more than claimed")
        state.claimed[side(segment.direction)] += UInt64(segment.length)
    }

    func tcpData(
        _ bytes: ArraySlice<UInt8>, at offset: UInt64, direction: Direction, time: Timestamp, in flow: FlowState
    ) {
        let state = live(flow, "tcpData")
        let s = side(direction)
        precondition(!bytes.isEmpty, "empty tcpData at \(offset)")
        precondition(offset == state.next[s], "tcpData at \(offset), expected \(state.next[s])")
        state.next[s] += UInt64(bytes.count)
        state.data[s] += UInt64(bytes.count)
        deliveries += 1
    }

    func tcpGap(at offset: UInt64, length: UInt64, direction: Direction, time: Timestamp, in flow: FlowState) {
        let state = live(flow, "tcpGap")
        let s = side(direction)
        precondition(length > 0, "empty tcpGap at \(offset)")
        precondition(offset == state.next[s], "tcpGap at \(offset), expected \(state.next[s])")
        state.next[s] += length
        state.gapBytes[s] += length
        state.gaps[s] += 1
        deliveries += 1
    }

    func flowClosed(_ flow: FlowState) {
        let state = live(flow, "flowClosed")
        precondition(!state.closed, "flowClosed twice for \(flow.id)")
        state.closed = true
    }

    func flowEnded(_ flow: FlowState) {
        let state = live(flow, "flowEnded")
        precondition(state.closed, "flowEnded before flowClosed for \(flow.id)")
        state.ended = true
        guard flow.proto == .tcp else { return }
        for direction in [Direction.clientToServer, .serverToClient] {
            let s = side(direction)
            let stats = flow.statistics(direction)
            precondition(stats.streamBytes == state.data[s], "streamBytes \(stats.streamBytes) ≠ \(state.data[s])")
            precondition(stats.gapBytes == state.gapBytes[s] && stats.gaps == state.gaps[s], "gap counters")
            precondition(stats.payloadBytes == state.claimed[s], "payloadBytes ≠ the segments' lengths")
            precondition(stats.superSegments <= stats.packets, "more super-segments than packets")
        }
    }

    /// After `FlowTable.finish()`: every flow started has ended.
    func checkAllEnded() {
        for list in flows {
            for (index, state) in list.enumerated() { precondition(state?.ended == true, "flow \(index) never ended") }
        }
    }
}
