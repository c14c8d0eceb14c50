#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SeamCore

/// A session file as the tests read it back: its calls, its captured packets and its section comments.
public struct SessionFile {
    public var calls: [SessionCall]
    public var packets: [PacketRecord]
    public var sectionComments: [String]

    /// Reads every record of `path`; calls through `SessionReader`.
    public init(path: String) throws {
        let reader = try SessionReader(source: .path(path))
        var calls: [SessionCall] = []
        var packets: [PacketRecord] = []
        while let item = try reader.next() {
            switch item {
            case .call(let call): calls.append(call)
            case .packet(let packet): packets.append(packet)
            case .unreadableCall(let error): throw error
            }
        }
        self.calls = calls
        self.packets = packets
        self.sectionComments = reader.sectionComments
    }
}

/// A path for a test's own file, unique to this process: `/tmp/seam-test-PID-NAME`.
public func temporaryPath(_ name: String) -> String {
    "/tmp/seam-test-\(getpid())-\(name)"
}

/// Waits up to `seconds` for `condition`, looking every 10 ms.
public func eventually(_ seconds: Double = 5, _ condition: () -> Bool) async -> Bool {
    let deadline = Timestamp.now().nanoseconds + Int64(seconds * 1e9)
    while Timestamp.now().nanoseconds < deadline {
        if condition() { return true }
        try? await Task.sleep(nanoseconds: 10_000_000)
    }
    return condition()
}
