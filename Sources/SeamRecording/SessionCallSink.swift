import NIOCore
import SeamCore

/// Takes socket calls as they happen: the proxy's (from its event loops, concurrently), a demo peer's, a
/// traced or watched program's. An implementation must be thread-safe and must not block: queue the work,
/// don't do it.
///
/// `payload` is the bytes the call moved when they still live in an event loop's buffer (the proxy hands it
/// over without a copy); other recorders put the bytes in `call.payload` and pass `nil`.
///
/// **Back-pressure.** A sink that can fall behind (a lossless `SessionRecorder`) says so with `isBackedUp`;
/// producers that can pause (the proxy's relays: they stop reading their sockets) check it before each read
/// and ask `whenCaughtUp` to call them back. Sinks that never fall behind keep the defaults (never backed up).
public protocol SessionCallSink: Sendable {
    func record(_ call: SessionCall, payload: ByteBuffer?)

    /// Whether producers that can pause should pause now. Cheap: checked before every socket read.
    var isBackedUp: Bool { get }

    /// Calls `resume` once the sink is no longer backed up: at once when it is not, else later on any thread.
    func whenCaughtUp(_ resume: @escaping @Sendable () -> Void)
}

extension SessionCallSink {
    public var isBackedUp: Bool { false }

    public func whenCaughtUp(_ resume: @escaping @Sendable () -> Void) { resume() }

    /// Records a call whose payload, if any, is in `call.payload`.
    public func record(_ call: SessionCall) {
        record(call, payload: nil)
    }
}

/// Hands each call to several sinks in order (the live output, then the session recorder).
public struct SessionCallFanOut: SessionCallSink {
    public let sinks: [any SessionCallSink]

    public init(_ sinks: [any SessionCallSink]) { self.sinks = sinks }

    public func record(_ call: SessionCall, payload: ByteBuffer?) {
        for sink in sinks { sink.record(call, payload: payload) }
    }

    /// Backed up while any of its sinks is.
    public var isBackedUp: Bool { sinks.contains { $0.isBackedUp } }

    /// Waits for each backed-up sink in turn, then checks them all again.
    public func whenCaughtUp(_ resume: @escaping @Sendable () -> Void) {
        guard let behind = sinks.first(where: { $0.isBackedUp }) else { return resume() }
        behind.whenCaughtUp { self.whenCaughtUp(resume) }
    }
}

extension ByteBuffer: CallPayload {
    public var byteCount: Int { readableBytes }

    public func withPayloadBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try withUnsafeReadableBytes(body)
    }
}
