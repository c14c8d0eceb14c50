@testable import SeamCore

/// Seam's reassembled TCP directions written the way `tshark -z follow,tcp,raw` writes them, for the agreement
/// tests. The comparison rule:
///
/// - every `tcpData` byte, in order;
/// - a `tcpGap` for a hole the peer acknowledged (Follow's "previous segment not captured") becomes the marker
///   Follow puts in its raw output at that place: the ASCII text `[N bytes missing in capture file]` and a NUL
///   byte, N the gap's length;
/// - a `tcpGap` for bytes the snaplen cut off a segment becomes nothing: Follow keeps the captured part of the
///   segment and moves on without a marker. Such a gap ends where a segment marked `payloadCut` ends, and is no
///   longer than what that segment lacked.
///
/// Directions are keyed by the sending endpoint's text (`Node 0`/`Node 1` of Follow's header).
final class FollowRendering: StreamConsumer {
    /// Per flow, per sending endpoint, the rendered bytes.
    private(set) var streams: [FlowID: [String: [UInt8]]] = [:]
    /// Per flow and direction, the axis offset where each snaplen-cut segment ends and how much it lacked.
    private var cutEnds: [FlowID: [Direction: [Int64: Int]]] = [:]
    private(set) var acknowledgedGaps = 0
    private(set) var snaplenGaps = 0

    static func marker(_ length: UInt64) -> [UInt8] { Array("[\(length) bytes missing in capture file]".utf8) + [0] }

    private func sender(_ flow: FlowState, _ direction: Direction) -> String {
        (direction == .clientToServer ? flow.client : flow.server).description
    }

    func tcpSegment(_ segment: TCPSegmentEvent, in flow: FlowState) {
        guard segment.marks.contains(.payloadCut) else { return }
        cutEnds[flow.id, default: [:]][segment.direction, default: [:]][segment.range.upperBound] =
            segment.length - segment.capturedLength
    }

    func tcpData(
        _ bytes: ArraySlice<UInt8>, at offset: UInt64, direction: Direction, time: Timestamp, in flow: FlowState
    ) {
        streams[flow.id, default: [:]][sender(flow, direction), default: []] += bytes
    }

    func tcpGap(at offset: UInt64, length: UInt64, direction: Direction, time: Timestamp, in flow: FlowState) {
        let end = Int64(offset + length)
        if let lacked = cutEnds[flow.id]?[direction]?[end], UInt64(lacked) >= length {
            snaplenGaps += 1
            return
        }
        acknowledgedGaps += 1
        streams[flow.id, default: [:]][sender(flow, direction), default: []] += Self.marker(length)
    }
}
