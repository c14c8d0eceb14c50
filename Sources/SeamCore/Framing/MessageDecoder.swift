/// A single-step, incremental message decoder: the framing's state machine.
///
/// `MessageFramer` owns one decoder per stream direction and calls it like NIO's `ByteToMessageDecoder`:
///
/// 1. after bytes arrive, `decode(_:)` again and again until it returns `nil` (needs more bytes);
/// 2. after a gap, `skipGap(_:length:into:)` once;
/// 3. at the end of the stream, `decodeLast(_:)` until it returns `nil`.
///
/// A decoder consumes every byte it has examined and keeps only what it must (a header not yet whole, a
/// partial delimiter), so its memory is bounded whatever the message sizes: bodies are skipped by count.
/// It knows the start of the message in progress and returns each message as a range when its last byte
/// has been consumed. It throws `FramingError` when the bytes break the framing's rules and never traps.
public protocol MessageDecoder: Sendable {
    /// Returns the next message whose end is in `buffer`, or `nil` when more bytes are needed.
    mutating func decode(_ buffer: inout FramingBuffer) throws(FramingError) -> FramedMessage?

    /// The stream has ended and `buffer` holds its last bytes: returns the next message, complete or not
    /// (an unfinished message comes back with `isComplete == false`), then `nil` once nothing is left.
    mutating func decodeLast(_ buffer: inout FramingBuffer) throws(FramingError) -> FramedMessage?

    /// `length` bytes right after `buffer.endOffset` are missing. Messages that the gap finishes are appended to
    /// `messages` (incomplete). Returns whether the decoder still knows where messages start; the framer drops
    /// the buffer's unconsumed bytes afterwards and, on `false`, stops framing the stream.
    mutating func skipGap(_ buffer: inout FramingBuffer, length: UInt64, into messages: inout [FramedMessage]) -> Bool

    /// Where the message in progress ends by what its head announced (its start plus its announced length), or
    /// `nil` when there is no message in progress or its end is not announced. `FramingDetector` uses it to say
    /// that a framing reads an absurd length.
    var announcedMessageEnd: UInt64? { get }
}

extension MessageDecoder {
    /// The default: no announced end.
    public var announcedMessageEnd: UInt64? { nil }

    /// The default `decodeLast`: whatever `decode` still finds; bytes left over form no message.
    public mutating func decodeLast(_ buffer: inout FramingBuffer) throws(FramingError) -> FramedMessage? {
        try decode(&buffer)
    }
}
