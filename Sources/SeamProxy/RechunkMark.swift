import SeamCore

/// What `RechunkHandler` did to the write it is passing down now, for the leg's `CallRecordingHandler` to state
/// as the send's `rechunk=` word. The rechunk handler sits just above the recorder and writes synchronously
/// through it, so it sets the mark, writes, and the recorder takes the mark in that same `write` call.
/// Lives on one channel's event loop.
final class RechunkMark {
    private var next: SessionCall.Rechunk?

    /// Marks the write about to be passed down.
    func set(_ rechunk: SessionCall.Rechunk?) { next = rechunk }

    /// The mark of the write being recorded, cleared for the next one.
    func take() -> SessionCall.Rechunk? {
        defer { next = nil }
        return next
    }
}

/// Not Sendable: it lives on its channel's event loop.
@available(*, unavailable)
extension RechunkMark: Sendable {}
