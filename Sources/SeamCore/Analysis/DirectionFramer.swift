/// How one direction's reassembled bytes become messages while a capture is read (`LayerCollector`).
///
/// - A spec given (`--framing`, `--framing-c2s`, `--framing-s2c`): its framer, told its direction, and beside
///   it, over the first `probeLength` bytes, a `FramingDetector` that judges the other framings, so that when
///   the given one does not fit the report can say where it failed and what fits instead. A misfit drops the
///   messages: no observation is made from a framing that does not fit.
/// - `auto`, or no framing given where `ReportOptions.detectsUnframed` asks for detection: a detector that
///   decides after `decisionLength` bytes (or at the end, if sooner) and hands over to the picked framer, so
///   memory stays that of one framer. With no framing given, only a clear pick frames the bytes.
///
/// Messages found before the decision come out through `takeBacklog()`, without the time of their arrival
/// (the caller knows the segments); later ones come out of `feed` as a plain framer's do.
struct DirectionFramer {
    /// Bytes after which a detector decides.
    static let decisionLength: UInt64 = 256 * 1024
    /// Bytes a given spec's probe judges the other framings over.
    static let probeLength: UInt64 = 64 * 1024

    let mode: FramingOrigin
    let direction: Direction
    /// The spec whose messages come out: the given one, or the one picked.
    private(set) var spec: FramingSpec?
    /// The picked framing's fit, when detection picked it.
    private(set) var fit: FramingFit?
    /// Why the framing does not fit this direction, with what fits instead; set once, and the messages are void.
    private(set) var misfitNote: String?
    /// Detection found no framing to frame by (a given spec always has one).
    var isUndecided: Bool { spec == nil }

    private var framer: MessageFramer?
    private var detector: FramingDetector?
    private var probe: FramingDetector?
    private var probeResult: FramingDetection?
    private var backlog: [FramedMessage] = []
    private var stopped = false
    private var bytes: UInt64 = 0
    private var end: UInt64 = 0

    /// The framer of `choice` for `direction`; `nil` when there is nothing to frame (no choice and no
    /// detection, or a spec whose messages are not in the bytes: `sends`, `segments`, `none`).
    init?(choice: FramingChoice?, detectsUnframed: Bool, direction: Direction, seesStreamStart: Bool) {
        self.direction = direction
        switch choice {
        case .spec(let given)?:
            guard given.messageSource == .bytes else { return nil }
            mode = .given
            spec = given
            framer = MessageFramer(spec: given, direction: direction)
            probe = FramingDetector(direction: direction, seesStreamStart: seesStreamStart)
        case .auto?, nil:
            if choice == nil && !detectsUnframed { return nil }
            mode = choice == nil ? .detected : .auto
            detector = FramingDetector(direction: direction, seesStreamStart: seesStreamStart, keepsMessages: true)
        }
    }

    /// Feeds the direction's bytes at `offset`, in order; the messages they end go to `messages`.
    mutating func feed(_ chunk: ArraySlice<UInt8>, at offset: UInt64, into messages: inout [FramedMessage]) {
        guard misfitNote == nil && !stopped else { return }
        bytes += UInt64(chunk.count)
        end = max(end, offset + UInt64(chunk.count))
        if probe != nil {
            probe!.feed(chunk, at: offset)
            if probe!.byteCount >= Self.probeLength { finishProbe() }
        }
        if detector != nil {
            detector!.feed(chunk, at: offset)
            if detector!.byteCount >= Self.decisionLength || detector!.runningCount == 0 { decide(atEnd: false) }
            return
        }
        guard framer != nil else { return }
        do {
            try framer!.feed(chunk, at: offset, into: &messages)
        } catch {
            misfit(FramingMisfit(offset: error.offset, reason: error.reason))
        }
    }

    /// `length` bytes are missing from the capture at the current end.
    mutating func gap(length: UInt64, into messages: inout [FramedMessage]) {
        guard misfitNote == nil && !stopped else { return }
        end += length
        probe?.gap(length: length)
        if detector != nil {
            detector!.gap(length: length)
            return
        }
        framer?.gap(length: length, into: &messages)
    }

    /// Ends the stream: what the framer still holds (a last message without its end) goes to `messages`, or,
    /// when detection was still running, it decides now and every message goes to the backlog.
    mutating func finish(into messages: inout [FramedMessage]) {
        defer { probe = nil }
        guard misfitNote == nil && !stopped else { return }
        if detector != nil { decide(atEnd: true) }
        guard framer != nil else { return }
        let announced = framer!.announcedMessageEnd
        do {
            try framer!.finish(into: &messages)
        } catch {
            misfit(FramingMisfit(offset: error.offset, reason: error.reason))
            return
        }
        // A last message announcing far more than the stream holds (`len:u32be` reading `GET ` as 1.2 GB): the
        // framing does not fit, as `FramingDetector` judges it.
        if mode == .given, let announced, announced > end, announced - end > max(1 << 20, 16 * bytes),
            let cut = messages.last(where: { !$0.isComplete })
        {
            let length = announced - cut.range.lowerBound
            misfit(
                FramingMisfit(
                    offset: cut.range.lowerBound,
                    reason: "the message there announces \(FramingFit.size(length)) (\(length) bytes); the stream has "
                        + FramingFit.size(bytes)))
        }
        framer = nil
    }

    /// The messages found before the decision, once.
    mutating func takeBacklog() -> [FramedMessage] {
        defer { backlog = [] }
        return backlog
    }

    private mutating func decide(atEnd: Bool) {
        guard var detector else { return }
        self.detector = nil
        let clearOnly = mode == .detected
        if atEnd {
            let detection = detector.finish()
            guard let best = clearOnly ? (detection.isClear ? detection.best : nil) : detection.best,
                let messages = detection.messages(of: best.spec)
            else { return }
            spec = best.spec
            fit = best
            probeResult = detection
            backlog = messages
            return
        }
        guard let decided = detector.decide(clearOnly: clearOnly), let best = decided.detection.best else { return }
        spec = best.spec
        fit = best
        probeResult = decided.detection
        framer = decided.framer
        backlog = decided.messages
    }

    private mutating func finishProbe() {
        guard var probe else { return }
        self.probe = nil
        probeResult = probe.finish()
    }

    private mutating func misfit(_ misfit: FramingMisfit) {
        if probe != nil { finishProbe() }
        framer = nil
        backlog = []
        if mode == .detected {
            // Nobody asked for it: the detected framing stops fitting later on, so it frames nothing.
            spec = nil
            fit = nil
            stopped = true
            return
        }
        guard let spec else { return }
        misfitNote = FramingDetection.misfitNote(spec, direction: direction, misfit: misfit, fits: probeResult?.fits ?? [])
    }
}
