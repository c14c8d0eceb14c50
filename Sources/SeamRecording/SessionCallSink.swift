import NIOCore
import SeamCore

/// Takes socket calls as they happen: the proxy's (from its event loops, concurrently), a demo peer's, a
/// traced or watched program's. An implementation must be thread-safe and must not block: queue the work,
/// don't do it.
///
/// `payload` is the bytes the call moved when they still live in an event loop's buffer (the proxy hands it
/// over without a copy); other recorders put the bytes in `call.payload` and pass `nil`.
public protocol SessionCallSink: Sendable {
    func record(_ call: SessionCall, payload: ByteBuffer?)
}

extension SessionCallSink {
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
}

extension ByteBuffer: CallPayload {
    public var byteCount: Int { readableBytes }

    public func withPayloadBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try withUnsafeReadableBytes(body)
    }
}
