extension FramingSpec {
    /// Framings that a direction's first bytes look like, the likeliest first; empty when nothing fits.
    ///
    /// A hint for plain captures analysed without `--framing`, never a decision (`FramingDetector` decides on a
    /// whole stream). The first bytes are fed to every candidate of `FramingDetector`; a candidate is kept when
    /// the bytes start as its streams start, break none of its rules, and announce no length past 1 MiB. A
    /// protocol with a recognisable start (TLS, HTTP/2, MQTT, PostgreSQL, …) that fits hides the weaker readings
    /// (protobuf, text lines) and the generic length layouts; `crlf` hides `line`; the text and generic layouts
    /// count only when a whole message is among the bytes.
    public static func guess(firstBytes bytes: ArraySlice<UInt8>, direction: Direction? = nil) -> [FramingSpec] {
        guard !bytes.isEmpty else { return [] }
        var detector = FramingDetector(direction: direction)
        detector.feed(bytes, at: 0)
        let plausible = detector.plausibleOnPrefix()
        let strongest = plausible.map(\.tier).max() ?? 0
        // A protocol with a recognisable start hides the weaker readings (protobuf, size-only) and the generic
        // layouts; any protocol hides the generic layouts.
        let floor = strongest >= 3 ? 2 : (strongest > 0 ? 1 : Int.min)
        var guesses = plausible.filter { $0.tier >= floor }.sorted { $0.tier > $1.tier }.map(\.spec)
        if guesses.contains(.crlf) { guesses.removeAll { $0 == .line } }
        return guesses
    }
}

extension FramingSpec {
    /// The bytes a stream must show before a framing with no whole message among them counts as a hint: enough
    /// for its header and the fields `startMismatch` checks.
    var evidenceLength: Int {
        switch self {
        case .dnsTCP, .kafka: return 14
        case .http2, .grpc: return 9
        case .pgsql: return 8
        case .tls, .mysql, .jsonHeader: return 5
        case .websocket, .memcache, .http1: return 4
        default: return 2
        }
    }
}

extension FramingDetector {
    /// The candidates that the bytes fed so far (a prefix of the stream) do not rule out, in candidate order,
    /// with their tiers: see `FramingSpec.guess(firstBytes:direction:)`.
    func plausibleOnPrefix() -> [(spec: FramingSpec, tier: Int)] {
        var judged = self
        judged.judgeStartNow()
        return judged.runningTrials.compactMap { trial in
            if let end = trial.framer.announcedMessageEnd, end > judged.streamEnd + (1 << 20) { return nil }
            let tier = trial.spec.detectionTier(direction: direction, grpcMessages: trial.grpcMessages)
            if trial.messages == 0 && (tier <= 1 || judged.byteCount < trial.spec.evidenceLength) { return nil }
            return (trial.spec, tier)
        }
    }
}
