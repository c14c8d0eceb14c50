import Foundation
import SeamTestSupport

@testable import SeamCore

/// Frames every TCP flow of a capture file with one spec (each direction told its direction) and runs the
/// framing survey beside it: what the corpus and real-server tests compare with tshark.
final class FramedCapture: StreamConsumer {
    /// One flow's messages per direction, and whether the framer failed.
    struct Flow {
        var id: FlowID
        var server: Endpoint
        var messages = DirectionPair<[FramedMessage]>(repeating: [])
        var errors = DirectionPair<FramingError?>(repeating: nil)
        var bytes = DirectionPair<UInt64>(repeating: 0)
    }

    let spec: FramingSpec
    private var framers: [FlowID: DirectionPair<MessageFramer>] = [:]
    private(set) var flows: [FlowID: Flow] = [:]
    let survey = FramingSurvey()

    /// Reads `path` to its end.
    init(path: String, spec: FramingSpec) throws {
        self.spec = spec
        let table = FlowTable()
        table.add(self)
        table.add(survey)
        let scanner = try CaptureScanner(path: path, table: table)
        scanner.onUpperPDU = { [survey] record in
            if let call = try? SessionCall.decode(record: record) { survey.add(call) }
        }
        scanner.run()
    }

    /// The survey's result of flow `id`.
    func detection(_ id: FlowID) -> FlowFramingDetection? {
        survey.results.first { $0.id == id }?.detection
    }

    func flowStarted(_ flow: FlowState) {
        guard flow.proto == .tcp else { return }
        framers[flow.id] = DirectionPair { MessageFramer(spec: spec, direction: $0) }
        flows[flow.id] = Flow(id: flow.id, server: flow.server)
    }

    func tcpData(
        _ bytes: ArraySlice<UInt8>,
        at offset: UInt64,
        direction: Direction,
        time: Timestamp,
        in flow: FlowState
    ) {
        guard var pair = framers[flow.id] else { return }
        flows[flow.id]?.bytes[direction] += UInt64(bytes.count)
        do {
            var messages: [FramedMessage] = []
            try pair[direction].feed(bytes, at: offset, into: &messages)
            flows[flow.id]?.messages[direction] += messages
        } catch {
            flows[flow.id]?.errors[direction] = error
        }
        framers[flow.id] = pair
    }

    func tcpGap(at offset: UInt64, length: UInt64, direction: Direction, time: Timestamp, in flow: FlowState) {
        guard var pair = framers[flow.id] else { return }
        var messages: [FramedMessage] = []
        pair[direction].gap(length: length, into: &messages)
        flows[flow.id]?.messages[direction] += messages
        framers[flow.id] = pair
    }

    func flowEnded(_ flow: FlowState) {
        guard var pair = framers.removeValue(forKey: flow.id) else { return }
        for direction in Direction.allCases {
            do {
                var messages: [FramedMessage] = []
                try pair[direction].finish(into: &messages)
                flows[flow.id]?.messages[direction] += messages
            } catch {
                flows[flow.id]?.errors[direction] = error
            }
        }
    }
}
