/// A consumer that frames every TCP direction it is given, so fuzzed captures reach the framing code too, and
/// checks the stream layer's contract: data and gaps of a direction arrive in order without overlap.
final class FuzzStreamConsumer: StreamConsumer {
    private var framers: [String: MessageFramer] = [:]
    private var nextOffsets: [String: UInt64] = [:]
    let spec: FramingSpec

    init(spec: FramingSpec) { self.spec = spec }

    private func key(_ flow: FlowState, _ direction: Direction) -> String { "\(flow.id)-\(direction.rawValue)" }

    func tcpData(
        _ bytes: ArraySlice<UInt8>, at offset: UInt64, direction: Direction, time: Timestamp, in flow: FlowState
    ) {
        let key = key(flow, direction)
        precondition(offset == nextOffsets[key, default: offset], "tcpData out of order at \(offset)")
        nextOffsets[key] = offset + UInt64(bytes.count)
        var framer = framers[key] ?? MessageFramer(spec: spec, startOffset: offset)
        _ = try? framer.feed(bytes, at: offset)
        framers[key] = framer
    }

    func tcpGap(at offset: UInt64, length: UInt64, direction: Direction, time: Timestamp, in flow: FlowState) {
        let key = key(flow, direction)
        precondition(offset == nextOffsets[key, default: offset], "tcpGap out of order at \(offset)")
        nextOffsets[key] = offset + length
        framers[key]?.gap(length: length).forEach { _ in }
    }

    func flowEnded(_ flow: FlowState) {
        for direction in [Direction.clientToServer, .serverToClient] {
            _ = try? framers[key(flow, direction)]?.finish()
        }
    }
}
