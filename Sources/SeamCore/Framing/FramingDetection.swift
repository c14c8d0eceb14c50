/// What `FramingDetector` found for one direction: the framings that fit, best first, and those that do not.
///
/// Ranking, most important first: fits to the end over fits to a cut (the stream ended inside a message, with
/// at least 90 % parsed); where send calls are known, a framing whose boundaries the sends respect (90 % of send
/// boundaries on message boundaries, then 50 %); a protocol with a recognisable start and checked fields over
/// one that checks less, over a generic length layout (`FramingSpec.detectionTier`); more of the stream
/// parsed; then the order of `FramingDetector.candidates`.
public struct FramingDetection: Sendable {
    /// One candidate's fit, with what ranking needs.
    struct Candidate: Sendable {
        var fit: FramingFit
        var index: Int
        /// Its first message ends, for `applyingSends`.
        var boundaries: [UInt64]
        /// Its messages, when the detector kept them and it fits.
        var messages: [FramedMessage]?
    }

    /// The direction detected, when known.
    public let direction: Direction?
    /// Bytes of the direction examined.
    public let bytes: UInt64
    /// The framing the user gave, when one was judged.
    public let givenSpec: FramingSpec?
    private var candidates: [Candidate]
    /// Whether send boundaries were applied.
    public private(set) var hasSends = false

    init(direction: Direction?, bytes: UInt64, candidates: [Candidate], given: FramingSpec?) {
        self.direction = direction
        self.bytes = bytes
        self.givenSpec = given
        self.candidates = candidates
        rank()
    }

    /// The framings that fit, best first.
    public var fits: [FramingFit] { candidates.map(\.fit).filter(\.isFit) }

    /// The framings that do not fit, those that got furthest first.
    public var misfits: [FramingFit] {
        candidates.map(\.fit).filter { !$0.isFit }.sorted { $0.parsedBytes > $1.parsedBytes }
    }

    /// The best fit, if any fits.
    public var best: FramingFit? { fits.first }

    /// The user's framing, judged (`nil` when none was given).
    public var given: FramingFit? {
        guard let givenSpec else { return nil }
        return candidates.first { $0.fit.spec == givenSpec }?.fit
    }

    /// The fit of `spec`, if it was tried.
    public func fit(of spec: FramingSpec) -> FramingFit? {
        candidates.first { $0.fit.spec == spec }?.fit
    }

    /// Whether the best fit is clear enough to frame by: it parsed at least 99 % of a stream that had bytes,
    /// a generic layout found at least 3 messages, and no other fit ranks as high with other boundaries.
    public var isClear: Bool {
        guard let first = candidates.first, first.fit.isFit, bytes > 0, first.fit.parsedFraction >= 0.99 else {
            return false
        }
        if first.fit.tier <= 0 && first.fit.messages < 3 { return false }
        guard candidates.count > 1, candidates[1].fit.isFit else { return true }
        let second = candidates[1]
        return Array(Self.key(second).prefix(3)) < Array(Self.key(first).prefix(3))
            || second.boundaries == first.boundaries
    }

    /// The messages `spec` found, when the detector kept messages (`FramingDetector(keepsMessages: true)`) and
    /// `spec` fits; `nil` otherwise.
    public func messages(of spec: FramingSpec) -> [FramedMessage]? {
        guard let candidate = candidates.first(where: { $0.fit.spec == spec }), candidate.fit.isFit else { return nil }
        return candidate.messages
    }

    /// The same detection with the sender's write calls known: `ends` are the offsets where they ended.
    public func applyingSends(_ ends: some Sequence<UInt64>) -> FramingDetection {
        let sends = Set(ends)
        guard !sends.isEmpty else { return self }
        var copy = self
        copy.hasSends = true
        for index in copy.candidates.indices {
            let sample = copy.candidates[index].boundaries
            guard let last = sample.last else { continue }
            let onSends = sample.count { sends.contains($0) }
            let sendsInStretch = sends.count { $0 <= last }
            copy.candidates[index].fit.boundariesOnSends = Double(onSends) / Double(sample.count)
            copy.candidates[index].fit.sendsOnBoundaries =
                sendsInStretch == 0 ? nil : Double(onSends) / Double(sendsInStretch)
        }
        copy.rank()
        return copy
    }

    /// The note a report gives when the user's framing does not fit: where it failed and what fits instead.
    public var givenMisfitNote: String? {
        guard let given, !given.isFit, let misfit = given.misfit else { return nil }
        return Self.misfitNote(given.spec, direction: direction, misfit: misfit, fits: fits)
    }

    /// `framing SPEC does not fit c2s at byte N: reason; fits instead: A (100 % parsed), …` (at most three).
    static func misfitNote(
        _ spec: FramingSpec, direction: Direction?, misfit: FramingMisfit, fits: some Sequence<FramingFit>
    ) -> String {
        let side = direction.map { " \($0.rawValue)" } ?? ""
        let instead = fits.filter { $0.spec != spec }.prefix(3).map {
            "\($0.spec) (\(FramingFit.percent($0.parsedFraction)) parsed)"
        }
        return "framing \(spec) does not fit\(side) \(misfit)"
            + (instead.isEmpty ? "; no other framing fits" : "; fits instead: " + instead.joined(separator: ", "))
    }

    private mutating func rank() {
        candidates.sort { Self.key($0) > Self.key($1) }
    }

    /// The ranking key: larger ranks first.
    private static func key(_ candidate: Candidate) -> [Int] {
        let fit = candidate.fit
        let status: Int
        switch fit.status {
        case .fits: status = 2
        case .cut: status = 1
        case .doesNotFit: status = 0
        }
        let sends: Int
        switch fit.sendsOnBoundaries {
        case nil: sends = 2
        case let share? where share >= 0.9: sends = 2
        case let share? where share >= 0.5: sends = 1
        default: sends = 0
        }
        let parsed = Int(fit.parsedFraction * 1000)
        return [status, status > 0 ? sends : 0, status > 0 ? fit.tier : 0, parsed, -candidate.index]
    }
}

extension Array where Element == Int {
    /// Lexicographic order.
    fileprivate static func < (lhs: [Int], rhs: [Int]) -> Bool { lhs.lexicographicallyPrecedes(rhs) }
    fileprivate static func > (lhs: [Int], rhs: [Int]) -> Bool { rhs.lexicographicallyPrecedes(lhs) }
}
