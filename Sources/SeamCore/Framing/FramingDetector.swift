/// Finds the framing of one direction of a stream: tries the built-in protocols and the generic length layouts
/// on its bytes, as they arrive, and ranks those that fit (`finish()` → `FramingDetection`).
///
/// ```swift
/// var detector = FramingDetector(direction: .clientToServer)
/// detector.feed(chunk, at: 0)          // the reassembled bytes, in order (a later offset is a gap)
/// detector.addSendEnd(4096)            // optional: where the sender's write calls ended
/// let detection = detector.finish()
/// detection.best?.description          // "pgsql, 100 % of 1.2 MB parsed, 96 % of boundaries on send boundaries"
/// ```
///
/// Each candidate is a `MessageFramer`: memory stays bounded (a header or line at most per candidate, plus the
/// first `boundarySampleLimit` message ends of each), and a candidate is dropped as soon as it fails: when its
/// decoder throws, when the stream does not start as the framing's streams do (`FramingSpec.startMismatch`),
/// or at the end when its last message announces a length far past the end (an absurd length, such as
/// `len:u32be` reading `GET ` as 1.2 GB). A framing given by the user (`given`) is judged the same way, so a
/// report can say that it does not fit and which framings do.
public struct FramingDetector: Sendable {
    /// The built-in protocols and generic layouts tried, in the order that breaks ties.
    public static let candidates: [FramingSpec] = [
        .tls, .http2, .grpc, .websocket, .http1, .mqtt, .pgsql, .mysql, .kafka, .memcache, .resp, .dnsTCP,
        .jsonHeader, .crlf, .line, .pythonStruct, .protobuf, .lineLength(LineLength()),
        .lengthPrefixed(LengthPrefix(field: .dec)), .lengthPrefixed(LengthPrefix(field: .u32be)),
        .lengthPrefixed(LengthPrefix(field: .u16be)), .lengthPrefixed(LengthPrefix(field: .u16le)),
        .lengthPrefixed(LengthPrefix(field: .u32be, includesHeader: true)),
        .lengthPrefixed(LengthPrefix(field: .u32le, includesHeader: true)),
        .lengthPrefixed(LengthPrefix(field: .u16be, includesHeader: true)),
        .lengthPrefixed(LengthPrefix(field: .u64be)),
    ]
    /// Message ends kept per candidate for scoring against send boundaries.
    public static let boundarySampleLimit = 1024
    /// Send ends kept.
    public static let sendSampleLimit = 16 * 1024
    /// Bytes after which the stream's start is judged (or at the end, if shorter).
    static let signatureLength = 64

    /// The direction detected, when known.
    public let direction: Direction?
    /// The framing the user gave, judged beside the candidates.
    public let given: FramingSpec?
    private var trials: [FramingTrial]
    private var startBytes: [UInt8] = []
    private var startJudged = false
    private var startOffset: UInt64
    private var nextOffset: UInt64
    private var bytes: UInt64 = 0
    private var sendEnds: [UInt64] = []

    /// A detector for the direction's stream starting at `startOffset` (0: the first byte after the SYN).
    /// `seesStreamStart` is `false` for a capture that began inside the connection (no SYN): then the first
    /// bytes are not where messages start, and candidates are not judged by how streams start. With
    /// `keepsMessages`, each candidate keeps the messages it finds while it fits (dropped when it stops fitting),
    /// so `FramingDetection.messages(of:)` gives the picked framing's messages without a second pass: memory
    /// then grows with the messages of the candidates that still fit (a few, on real streams).
    public init(
        direction: Direction? = nil,
        candidates: [FramingSpec] = FramingDetector.candidates,
        given: FramingSpec? = nil,
        startOffset: UInt64 = 0,
        seesStreamStart: Bool = true,
        keepsMessages: Bool = false
    ) {
        self.direction = direction
        self.given = given
        startJudged = !seesStreamStart
        self.startOffset = startOffset
        nextOffset = startOffset
        var specs = candidates.filter { $0.messageSource == .bytes }
        if let given, given.messageSource == .bytes, !specs.contains(given) { specs.append(given) }
        trials = specs.enumerated().map { index, spec in
            FramingTrial(
                spec: spec,
                index: index,
                direction: direction,
                startOffset: startOffset,
                keepsMessages: keepsMessages
            )
        }
    }

    /// Bytes fed so far (gaps not counted).
    public var byteCount: UInt64 { bytes }

    /// Candidates still running.
    public var runningCount: Int { trials.count { $0.isRunning } }

    /// Feeds the direction's bytes at `offset` (in order; a later offset is a gap, bytes already seen are
    /// skipped).
    public mutating func feed(_ chunk: ArraySlice<UInt8>, at offset: UInt64) {
        var chunk = chunk
        var offset = offset
        if offset < nextOffset {
            let seen = nextOffset - offset
            guard seen < UInt64(chunk.count) else { return }
            chunk = chunk.dropFirst(Int(seen))
            offset = nextOffset
        } else if offset > nextOffset {
            gap(length: offset - nextOffset)
        }
        guard !chunk.isEmpty else { return }
        if !startJudged && nextOffset == startOffset + UInt64(startBytes.count) {
            startBytes += chunk.prefix(Self.signatureLength - startBytes.count)
        }
        bytes += UInt64(chunk.count)
        nextOffset = offset + UInt64(chunk.count)
        for index in trials.indices where trials[index].isRunning {
            trials[index].feed(chunk, at: offset, sampleLimit: Self.boundarySampleLimit)
        }
        if !startJudged && startBytes.count >= Self.signatureLength { judgeStart() }
    }

    /// `length` bytes are missing from the capture at the current end.
    public mutating func gap(length: UInt64) {
        guard length > 0 else { return }
        if !startJudged { judgeStart() }
        for index in trials.indices where trials[index].isRunning {
            trials[index].gap(length: length, sampleLimit: Self.boundarySampleLimit)
        }
        nextOffset += length
    }

    /// A write call of the sender ended at `offset` of this direction.
    public mutating func addSendEnd(_ offset: UInt64) {
        if sendEnds.count < Self.sendSampleLimit { sendEnds.append(offset) }
    }

    /// Decides before the stream's end: ranks what fits so far, as `finish()` would without ending the stream, and
    /// hands over the pick's framer, still running, with the messages it kept (`keepsMessages`), so the rest of
    /// the stream is framed by it alone and memory stays that of one framer. With `clearOnly`, only a clear pick
    /// (`FramingDetection.isClear`) is handed over; `nil` when there is none.
    public func decide(clearOnly: Bool) -> (detection: FramingDetection, framer: MessageFramer, messages: [FramedMessage])? {
        var ranked = self
        let detection = ranked.finish()
        guard let pick = clearOnly ? (detection.isClear ? detection.best : nil) : detection.best,
            let trial = trials.first(where: { $0.spec == pick.spec && $0.isRunning })
        else { return nil }
        return (detection, trial.framer, trial.kept ?? [])
    }

    /// Ends the stream and ranks the candidates.
    public mutating func finish() -> FramingDetection {
        if !startJudged { judgeStart() }
        for index in trials.indices {
            trials[index].finish(streamEnd: nextOffset, streamBytes: bytes, sampleLimit: Self.boundarySampleLimit)
        }
        let fits = trials.map { trial in
            FramingDetection.Candidate(
                fit: fit(of: trial),
                index: trial.index,
                boundaries: trial.boundaries,
                messages: trial.kept
            )
        }
        var detection = FramingDetection(direction: direction, bytes: bytes, candidates: fits, given: given)
        if !sendEnds.isEmpty { detection = detection.applyingSends(sendEnds) }
        trials = []
        return detection
    }

    /// The trials still running, for `plausibleOnPrefix`.
    var runningTrials: [FramingTrial] { trials.filter(\.isRunning) }

    /// Where the bytes fed so far end.
    var streamEnd: UInt64 { nextOffset }

    /// Judges the stream's start now, on the bytes fed so far.
    mutating func judgeStartNow() {
        if !startJudged { judgeStart() }
    }

    /// Drops the candidates whose streams never start as these bytes do.
    private mutating func judgeStart() {
        startJudged = true
        guard !startBytes.isEmpty else { return }
        for index in trials.indices where trials[index].isRunning && trials[index].spec != given {
            if let reason = trials[index].spec.startMismatch(startBytes, direction: direction) {
                trials[index].misfit = FramingMisfit(offset: startOffset, reason: reason)
            }
        }
    }

    private func fit(of trial: FramingTrial) -> FramingFit {
        let status: FramingFit.Status
        var misfit = trial.misfit
        if misfit != nil {
            status = .doesNotFit
        } else if trial.lostAt != nil || trial.endedInsideMessage {
            status = .cut
            let parsed = trial.parsedEnd - startOffset
            let share = bytes == 0 ? 1 : Double(parsed) / Double(bytes)
            if trial.lostAt == nil && bytes > 0 && (trial.messages == 0 || share < 0.5 && trial.messages < 3) {
                misfit = FramingMisfit(
                    offset: trial.parsedEnd,
                    reason:
                        "only \(FramingFit.percent(share)) parsed: the message there runs past the end of the stream"
                        + (trial.announcedLength.map { " (it announces \(FramingFit.size($0)))" } ?? "")
                )
            }
        } else {
            status = .fits
        }
        return FramingFit(
            spec: trial.spec,
            status: misfit == nil ? status : .doesNotFit,
            bytes: bytes,
            parsedBytes: trial.parsedEnd - startOffset,
            messages: trial.messages,
            misfit: misfit,
            tier: trial.spec.detectionTier(direction: direction, grpcMessages: trial.grpcMessages)
        )
    }
}
