/// Cuts one direction of a reassembled stream into messages, with bounded memory.
///
/// The stream layer feeds bytes in order as they are reassembled, reports gaps, and finishes at the end:
///
/// ```swift
/// var framer = MessageFramer(spec: .line)
/// var messages: [FramedMessage] = []
/// try framer.feed(chunk, at: 0, into: &messages)
/// framer.gap(length: 100, into: &messages)
/// try framer.finish(into: &messages)
/// ```
///
/// A message cut by a gap, or still unfinished at the end, is reported with `isComplete == false`; none is
/// dropped silently. After a gap, delimiter framings resynchronise after the next delimiter and `fixed:N` by
/// arithmetic; a gap inside a body of known length keeps the framing in sync. Otherwise (a gap in a header, in
/// a chunked HTTP body, in RESP) the framer cannot know where the next message starts: its state becomes
/// `lostSync` and it frames nothing more. A `FramingError` puts it in `failed` and stops it too.
///
/// When the cut message comes back: a delimiter framing reports it when the next delimiter (or the end)
/// arrives, as one incomplete message from its start through that delimiter; a body of known length reports it
/// at its known end; a framing that loses sync reports it from `gap`, ending at the gap's end.
///
/// HEAD responses cannot be recognised without pairing them with their requests; `http1` frames them as if
/// they had the body their headers announce.
public struct MessageFramer: Sendable {
    /// Where a framer stands.
    public enum State: Hashable, Sendable {
        /// Framing messages.
        case framing
        /// A gap at `offset` (its start) left the framer not knowing where messages start; it frames no more.
        case lostSync(offset: UInt64)
        /// The stream broke the framing's rules; no more framing.
        case failed(FramingError)
        /// `finish` was called.
        case finished
    }

    /// The framing this framer applies.
    public let spec: FramingSpec
    /// The direction it frames, when known (the protocol decoders check each side's rules with it).
    public let direction: Direction?
    /// Where the framer stands.
    public private(set) var state: State = .framing
    private var decoder: any MessageDecoder
    private var buffer: FramingBuffer

    /// A framer at offset `startOffset` (normally 0, the first payload byte) of a direction, whichever it is.
    public init(spec: FramingSpec, startOffset: UInt64 = 0) {
        self.init(spec: spec, direction: nil, startOffset: startOffset)
    }

    /// A framer of the given direction (`nil`: either): PostgreSQL, MQTT, WebSocket, Kafka, memcache and
    /// HTTP/2 check that side's rules, and requests and responses are marked (`FramedMessage.exchange`).
    public init(spec: FramingSpec, direction: Direction?, startOffset: UInt64 = 0) {
        self.spec = spec
        self.direction = direction
        decoder = spec.makeDecoder(direction: direction)
        buffer = FramingBuffer(offset: startOffset)
    }

    /// A framer that runs a decoder of the caller's own; `spec` is what reports name it by.
    public init(decoder: some MessageDecoder, spec: FramingSpec, startOffset: UInt64 = 0) {
        self.spec = spec
        self.direction = nil
        self.decoder = decoder
        buffer = FramingBuffer(offset: startOffset)
    }

    /// The next offset the framer expects.
    public var nextOffset: UInt64 { buffer.endOffset }

    /// Bytes the framer holds between calls (a header not yet whole, a partial delimiter); bounded by the
    /// framing (64 KiB for HTTP headers and RESP lines), never a whole body.
    public var bufferedByteCount: Int { buffer.bufferedByteCount }

    /// Capacity of the storage behind `bufferedByteCount`.
    public var bufferedCapacity: Int { buffer.bufferedCapacity }

    /// Where the message in progress ends by its announced length (`nil` when none is in progress or the framing
    /// announces no length): `FramingDetector` tells an absurd length by it.
    public var announcedMessageEnd: UInt64? { decoder.announcedMessageEnd }

    /// The error that stopped the framer, if any.
    public var error: FramingError? {
        if case .failed(let error) = state { return error }
        return nil
    }

    /// Frames `bytes`, which start at `offset` of the direction's byte axis, appending finished messages.
    ///
    /// Bytes past the expected offset imply a gap before them; bytes already seen are ignored.
    /// - Throws: `FramingError` when the bytes break the framing's rules; the messages before the fault are in
    ///   `messages`, the state is `failed`, and later calls frame nothing.
    public mutating func feed(
        _ bytes: ArraySlice<UInt8>,
        at offset: UInt64,
        into messages: inout [FramedMessage]
    ) throws(FramingError) {
        guard case .framing = state, !bytes.isEmpty else { return }
        let expected = buffer.endOffset
        var bytes = bytes
        if offset > expected {
            gap(length: offset - expected, into: &messages)
            guard case .framing = state else { return }
        } else if offset < expected {
            let overlap = expected - offset
            guard overlap < UInt64(bytes.count) else { return }
            bytes = bytes.dropFirst(Int(overlap))
        }
        buffer.attach(bytes)
        do {
            while let message = try decoder.decode(&buffer) { messages.append(message) }
            buffer.settle()
        } catch {
            buffer.consumeAll()
            buffer.settle()
            state = .failed(error)
            throw error
        }
    }

    /// Frames `bytes` at `offset` and returns the messages they finish; see `feed(_:at:into:)`, which keeps the
    /// messages before a fault.
    public mutating func feed(_ bytes: ArraySlice<UInt8>, at offset: UInt64) throws(FramingError) -> [FramedMessage] {
        var messages: [FramedMessage] = []
        try feed(bytes, at: offset, into: &messages)
        return messages
    }

    /// `length` bytes at `nextOffset` are missing from the capture. Appends the messages the gap cuts
    /// (incomplete) and moves on; the state becomes `lostSync` when the framing cannot resynchronise.
    public mutating func gap(length: UInt64, into messages: inout [FramedMessage]) {
        guard case .framing = state, length > 0 else { return }
        let gapStart = buffer.endOffset
        let inSync = decoder.skipGap(&buffer, length: length, into: &messages)
        buffer.discardAll(skipping: length)
        if !inSync { state = .lostSync(offset: gapStart) }
    }

    /// `gap(length:into:)`, returning the messages.
    public mutating func gap(length: UInt64) -> [FramedMessage] {
        var messages: [FramedMessage] = []
        gap(length: length, into: &messages)
        return messages
    }

    /// The stream has ended: appends what is left, a message still in progress as incomplete.
    /// - Throws: `FramingError` as `feed` does.
    public mutating func finish(into messages: inout [FramedMessage]) throws(FramingError) {
        guard case .framing = state else { return }
        do {
            while let message = try decoder.decodeLast(&buffer) { messages.append(message) }
            buffer.consumeAll()
            buffer.settle()
            state = .finished
        } catch {
            buffer.consumeAll()
            buffer.settle()
            state = .failed(error)
            throw error
        }
    }

    /// `finish(into:)`, returning the messages.
    public mutating func finish() throws(FramingError) -> [FramedMessage] {
        var messages: [FramedMessage] = []
        try finish(into: &messages)
        return messages
    }
}
