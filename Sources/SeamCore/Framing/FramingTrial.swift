/// One candidate framing run over a direction by `FramingDetector`: a framer and what it found so far.
struct FramingTrial: Sendable {
    let spec: FramingSpec
    let index: Int
    var framer: MessageFramer
    var messages = 0
    /// End of the last whole message.
    var parsedEnd: UInt64
    /// Where the last message that ended began.
    var lastStart: UInt64
    /// The first message ends, for scoring against send boundaries.
    var boundaries: [UInt64] = []
    var grpcMessages = 0
    /// Every message found, when the detector keeps them (`FramingDetector(keepsMessages:)`).
    var kept: [FramedMessage]?
    var misfit: FramingMisfit? {
        didSet { if misfit != nil { kept = kept.map { _ in [] } } }
    }
    /// Where a capture gap left the framing without sync.
    var lostAt: UInt64?
    var endedInsideMessage = false
    /// The length the message cut by the end announced, when its framing announces lengths.
    var announcedLength: UInt64?
    private var scratch: [FramedMessage] = []

    init(spec: FramingSpec, index: Int, direction: Direction?, startOffset: UInt64, keepsMessages: Bool = false) {
        self.spec = spec
        kept = keepsMessages ? [] : nil
        self.index = index
        framer = MessageFramer(spec: spec, direction: direction, startOffset: startOffset)
        parsedEnd = startOffset
        lastStart = startOffset
    }

    /// Whether it still runs.
    var isRunning: Bool { misfit == nil && lostAt == nil && framer.state == .framing }

    mutating func feed(_ bytes: ArraySlice<UInt8>, at offset: UInt64, sampleLimit: Int) {
        guard isRunning else { return }
        do {
            try framer.feed(bytes, at: offset, into: &scratch)
        } catch {
            misfit = FramingMisfit(offset: error.offset, reason: error.reason)
        }
        take(sampleLimit: sampleLimit)
    }

    mutating func gap(length: UInt64, sampleLimit: Int) {
        guard isRunning else { return }
        let start = framer.nextOffset
        framer.gap(length: length, into: &scratch)
        if case .lostSync = framer.state { lostAt = start }
        take(sampleLimit: sampleLimit)
    }

    /// Ends the stream; a last message that its length announces far past the end is a misfit.
    mutating func finish(streamEnd: UInt64, streamBytes: UInt64, sampleLimit: Int) {
        guard isRunning else { return }
        let announced = framer.announcedMessageEnd
        do {
            try framer.finish(into: &scratch)
        } catch {
            misfit = FramingMisfit(offset: error.offset, reason: error.reason)
        }
        if let cut = scratch.last(where: { !$0.isComplete }) {
            endedInsideMessage = true
            if let announced, announced > cut.range.lowerBound { announcedLength = announced - cut.range.lowerBound }
            if let announced, announced > streamEnd {
                let beyond = announced - streamEnd
                if beyond > max(1 << 20, 16 * streamBytes) {
                    let length = announced - cut.range.lowerBound
                    misfit = FramingMisfit(
                        offset: cut.range.lowerBound,
                        reason: "the message there announces \(FramingFit.size(length)) (\(length) bytes); the "
                            + "stream has \(FramingFit.size(streamBytes))"
                    )
                }
            }
        }
        take(sampleLimit: sampleLimit)
    }

    private mutating func take(sampleLimit: Int) {
        if kept != nil && misfit == nil { kept! += scratch }
        for message in scratch where message.isComplete {
            messages += 1
            parsedEnd = message.range.upperBound
            lastStart = message.range.lowerBound
            if boundaries.count < sampleLimit { boundaries.append(message.range.upperBound) }
            if message.summary?.hasPrefix("gRPC ") == true { grpcMessages += 1 }
        }
        scratch.removeAll(keepingCapacity: true)
    }
}
