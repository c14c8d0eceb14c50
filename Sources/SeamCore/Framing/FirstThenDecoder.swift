/// Frames the first message with one decoder and every later one with another (`A/B`): a first message with
/// its own layout, such as an untyped startup packet before typed messages.
///
/// ```
///  +---------------------------+------------------+------------------+----
///  | first message (by A)      | message (by B)   | message (by B)   | ...
///  +---------------------------+------------------+------------------+----
/// ```
///
/// States: `first` until A returns its message, then `rest`. Gaps go to the decoder in charge; a gap that
/// A's message ends with hands over to B.
struct FirstThenDecoder: MessageDecoder {
    enum State: Hashable {
        case first
        case rest
    }

    private var first: any MessageDecoder
    private var rest: any MessageDecoder
    private(set) var state = State.first

    init(first: any MessageDecoder, then rest: any MessageDecoder) {
        self.first = first
        self.rest = rest
    }

    var announcedMessageEnd: UInt64? { state == .first ? first.announcedMessageEnd : rest.announcedMessageEnd }

    mutating func decode(_ buffer: inout FramingBuffer) throws(FramingError) -> FramedMessage? {
        guard state == .first else { return try rest.decode(&buffer) }
        guard let message = try first.decode(&buffer) else { return nil }
        state = .rest
        return message
    }

    mutating func decodeLast(_ buffer: inout FramingBuffer) throws(FramingError) -> FramedMessage? {
        guard state == .first else { return try rest.decodeLast(&buffer) }
        guard let message = try first.decodeLast(&buffer) else { return nil }
        state = .rest
        return message
    }

    mutating func skipGap(_ buffer: inout FramingBuffer, length: UInt64, into messages: inout [FramedMessage]) -> Bool {
        guard state == .first else { return rest.skipGap(&buffer, length: length, into: &messages) }
        let count = messages.count
        let inSync = first.skipGap(&buffer, length: length, into: &messages)
        if messages.count > count { state = .rest }
        return inSync
    }
}
