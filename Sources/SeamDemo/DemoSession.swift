import NIOConcurrencyHelpers
import NIOCore
import SeamCore
import SeamRecording

/// The session of one lesson, kept in memory and written as one session file at the end: the peers' own
/// calls (`leg=app`), the proxy's calls (it is the proxy's `SessionCallSink`) and the captured packets.
///
/// A lesson moves a few kilobytes and learns its settings (the proxies' ports) as it goes, so it holds
/// everything and hands it to a `SessionWriter` at the end, which writes the file in timestamp order.
/// Thread-safe (one lock); `write(to:)` once.
public final class DemoSession: SessionCallSink, Sendable {
    private struct State {
        var calls: [(call: SessionCall, payload: ByteBuffer?)] = []
        var packets: [PacketRecord] = []
        var captureLinkType: LinkType?
        var lastAppConnection = 100
        var settings: SessionSettings
    }

    private let state: NIOLockedValueBox<State>

    public init(settings: SessionSettings) {
        state = NIOLockedValueBox(State(settings: settings))
    }

    /// The session's settings (section comment), completed while the lesson runs.
    public var settings: SessionSettings {
        get { state.withLockedValue { $0.settings } }
        set { state.withLockedValue { $0.settings = newValue } }
    }

    /// A new connection number for a peer's socket (101, 102, …: apart from the proxy's 1, 2, …).
    public func nextAppConnection() -> Int {
        state.withLockedValue {
            $0.lastAppConnection += 1
            return $0.lastAppConnection
        }
    }

    /// A call of a demo peer or of the proxy.
    public func record(_ call: SessionCall, payload: ByteBuffer?) {
        state.withLockedValue { $0.calls.append((call, payload)) }
    }

    /// Declares the capture's link type; packets recorded after go on its interface.
    public func addCapture(linkType: LinkType) {
        state.withLockedValue { $0.captureLinkType = linkType }
    }

    /// A captured packet.
    public func record(packet: PacketRecord) {
        state.withLockedValue { $0.packets.append(packet) }
    }

    /// The calls recorded so far, in time order.
    public var calls: [SessionCall] {
        state.withLockedValue { $0.calls.map(\.call) }.sorted { $0.timestamp < $1.timestamp }
    }

    /// How many packets were captured.
    public var packetCount: Int { state.withLockedValue { $0.packets.count } }

    /// Writes the session file (mode 0600) with a `SessionWriter`: calls on interface 0, packets on interface 1.
    public func write(to path: String) throws {
        let recorded = state.withLockedValue { $0 }
        let writer = try SessionWriter(path: path, settings: recorded.settings, recorder: "seam demo")
        if let linkType = recorded.captureLinkType {
            let interface = try writer.addCaptureInterface(linkType: linkType, name: "lo")
            for packet in recorded.packets {
                writer.add(
                    packet: Array(packet.data), timestamp: packet.timestamp, originalLength: packet.originalLength,
                    interface: interface)
            }
        }
        for (call, payload) in recorded.calls { writer.add(call, payload: payload) }
        try writer.finish()
    }
}
