/// How well one framing fits one direction's bytes, as `FramingDetector` found it.
///
/// `description` is the line a report prints: `pgsql, 100 % of 1.2 MB parsed, 96 % of boundaries on send
/// boundaries`, or for a misfit `len:u32be does not fit: at byte 0 …`.
public struct FramingFit: Hashable, Sendable, CustomStringConvertible {
    /// Whether the framing fits.
    public enum Status: String, Hashable, Sendable {
        /// Every byte parsed, to a message boundary at the end.
        case fits
        /// Every byte parsed, but the stream ended inside a message (a capture or connection cut short), or a
        /// capture gap stopped the framing.
        case cut = "fits-until-cut"
        /// The bytes break the framing's rules, or a length is absurd.
        case doesNotFit = "does-not-fit"
    }

    /// The framing judged.
    public var spec: FramingSpec
    /// Whether it fits.
    public var status: Status
    /// Bytes of the direction examined (capture gaps not counted).
    public var bytes: UInt64
    /// Bytes through the end of the last whole message before the end or the fault.
    public var parsedBytes: UInt64
    /// Whole messages found.
    public var messages: Int
    /// The share of message boundaries (of the first `FramingDetector.boundarySampleLimit`) that are send
    /// boundaries; `nil` when no send calls are known.
    public var boundariesOnSends: Double?
    /// The share of send boundaries (in the same stretch) that are message boundaries: near 1 for the right
    /// framing of a program that writes whole messages; `nil` when no send calls are known.
    public var sendsOnBoundaries: Double?
    /// Where and why the framing does not fit (`nil` when it fits).
    public var misfit: FramingMisfit?
    /// How much a fit says (see `FramingSpec.detectionTier`).
    var tier: Int

    /// `parsedBytes / bytes` (1 for an empty stream).
    public var parsedFraction: Double { bytes == 0 ? 1 : Double(parsedBytes) / Double(bytes) }

    /// Whether it fits, perhaps up to a cut at the end.
    public var isFit: Bool { status != .doesNotFit }

    /// `SPEC, 100 % of 1.2 MB parsed[, 96 % of boundaries on send boundaries]`, or `SPEC does not fit: …`.
    public var description: String {
        guard let misfit else {
            var text = "\(spec), \(Self.percent(parsedFraction)) of \(Self.size(bytes)) parsed"
            if status == .cut { text += " (then cut)" }
            if let boundariesOnSends { text += ", \(Self.percent(boundariesOnSends)) of boundaries on send boundaries" }
            return text
        }
        return "\(spec) does not fit: \(misfit)"
    }

    /// `96 %`, rounded down so that 99.6 % is never shown as 100 %.
    static func percent(_ fraction: Double) -> String {
        let value = max(0, min(100, fraction * 100))
        return "\(value >= 100 ? 100 : min(99, Int(value.rounded(.down)))) %"
    }

    /// `812 bytes`, `1.2 kB`, `1.2 MB`, `3.4 GB` (decimal units).
    public static func size(_ bytes: UInt64) -> String {
        if bytes < 1000 { return bytes == 1 ? "1 byte" : "\(bytes) bytes" }
        let units = ["kB", "MB", "GB", "TB"]
        var value = Double(bytes) / 1000
        var unit = 0
        while value >= 999.95 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }
}

/// Where a framing stopped fitting a direction's bytes, and why.
public struct FramingMisfit: Hashable, Sendable, CustomStringConvertible {
    /// Offset on the direction's byte axis.
    public var offset: UInt64
    /// What was wrong, e.g. `a u32be length of 1.2 GB, the stream has 2.0 kB`.
    public var reason: String

    public init(offset: UInt64, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    /// `at byte N: reason`.
    public var description: String { "at byte \(offset): \(reason)" }
}
