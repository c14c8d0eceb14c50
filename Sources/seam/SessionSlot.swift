import SeamProxy

/// The session recorder as the proxy's call sink, filled in once the listener is bound.
///
/// `seam proxy` creates its session file in the `beforeAccepting` hook, when the real listening port (and so the
/// capture filter that goes into the section comment) is known; the proxy's sink must exist before that. No call
/// is made before the hook returns (nothing is accepted or read yet), and the proxy starts accepting only after
/// it, through its event loop's task queue, so `recorder` is written once before any `record` reads it.
final class SessionSlot: ProxyCallSink, @unchecked Sendable {
    /// The session recorder; set once, in `beforeAccepting`.
    var recorder: SessionRecorder?

    func record(_ call: ProxyCall) {
        recorder?.record(call)
    }
}
