/// Runs a `FramingDetector` on both directions of every TCP flow a `FlowTable` reassembles (`seam framing`).
///
/// Add it to the table as a consumer, give it the session's calls (`add(_:)`, from the scanner's
/// `onUpperPDU`), and read `results` once the scan is over: flows in table order, each with both directions'
/// detections scored against the send calls recorded for them. Memory follows the open flows: a flow's
/// detectors are finished when it ends and only their results are kept.
public final class FramingSurvey: StreamConsumer {
    /// One flow's detections.
    public struct FlowResult: Sendable {
        public var id: FlowID
        public var client: Endpoint
        public var server: Endpoint
        public var clientIsGuessed: Bool
        public var detection: FlowFramingDetection
    }

    private final class Running {
        var detectors: [FramingDetector]
        init(_ detectors: [FramingDetector]) { self.detectors = detectors }
    }

    private let candidates: [FramingSpec]
    private let given: DirectionFraming?
    private var running: [FlowID: Running] = [:]
    private var finished: [FlowResult] = []
    private var sends = SendBoundaryIndex()

    /// A survey trying `candidates`, judging `given` too when the user named a framing.
    public init(candidates: [FramingSpec] = FramingDetector.candidates, given: DirectionFraming? = nil) {
        self.candidates = candidates
        self.given = given
    }

    /// Takes one session call (send calls score the framings).
    public func add(_ call: SessionCall) {
        sends.add(call)
    }

    /// The flows surveyed, in order of first appearance, with send calls applied.
    public var results: [FlowResult] {
        finished.sorted { $0.id < $1.id }.map { result in
            var result = result
            for direction in Direction.allCases {
                let ends = sends.ends(client: result.client, server: result.server, direction: direction)
                guard !ends.isEmpty else { continue }
                if direction == .clientToServer {
                    result.detection.clientToServer = result.detection.clientToServer.applyingSends(ends)
                } else {
                    result.detection.serverToClient = result.detection.serverToClient.applyingSends(ends)
                }
            }
            return result
        }
    }

    public func flowStarted(_ flow: FlowState) {
        guard flow.proto == .tcp else { return }
        running[flow.id] = Running(
            Direction.allCases.map { direction in
                FramingDetector(
                    direction: direction,
                    candidates: candidates,
                    given: given?[direction],
                    seesStreamStart: !flow.clientIsGuessed
                )
            }
        )
    }

    public func tcpData(
        _ bytes: ArraySlice<UInt8>,
        at offset: UInt64,
        direction: Direction,
        time: Timestamp,
        in flow: FlowState
    ) {
        running[flow.id]?.detectors[direction == .clientToServer ? 0 : 1].feed(bytes, at: offset)
    }

    public func tcpGap(at offset: UInt64, length: UInt64, direction: Direction, time: Timestamp, in flow: FlowState) {
        running[flow.id]?.detectors[direction == .clientToServer ? 0 : 1].gap(length: length)
    }

    public func flowEnded(_ flow: FlowState) {
        guard let state = running.removeValue(forKey: flow.id) else { return }
        let detection = FlowFramingDetection(
            clientToServer: state.detectors[0].finish(),
            serverToClient: state.detectors[1].finish()
        )
        finished.append(
            FlowResult(
                id: flow.id,
                client: flow.client,
                server: flow.server,
                clientIsGuessed: flow.clientIsGuessed,
                detection: detection
            )
        )
    }
}
