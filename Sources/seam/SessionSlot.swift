import NIOCore
import SeamCore
import SeamRecording

/// The session recorder as the proxy's call sink, filled in once the listener is bound.
///
/// `seam proxy` creates its session file in the `beforeAccepting` hook, when the real listening port (and so the
/// capture filter that goes into the section comment) is known; the proxy's sink must exist before that. No call
/// is made before the hook returns (nothing is accepted or read yet), and the proxy starts accepting only after
/// it, through its event loop's task queue, so `recorder` is written once before any `record` reads it.
/// With `--no-payload` the calls reach the file without their bytes (the live output still previews them).
final class SessionSlot: SessionCallSink, @unchecked Sendable {
    /// The session recorder; set once, in `beforeAccepting`.
    var recorder: SessionRecorder?
    /// The live analysis that prints verdicts as flows close; set with `recorder`.
    var live: LiveAnalysis?
    let keepsPayload: Bool

    init(keepsPayload: Bool) {
        self.keepsPayload = keepsPayload
    }

    /// The recorder's back-pressure (lossless mode), so the relay pauses its reads while it is behind.
    var isBackedUp: Bool { recorder?.isBackedUp ?? false }

    func whenCaughtUp(_ resume: @escaping @Sendable () -> Void) {
        guard let recorder else { return resume() }
        recorder.whenCaughtUp(resume)
    }

    func record(_ call: SessionCall, payload: ByteBuffer?) {
        guard let recorder else { return }
        if keepsPayload {
            recorder.record(call, payload: payload)
        } else {
            var bare = call
            bare.payload = nil
            recorder.record(bare, payload: nil)
        }
    }
}
