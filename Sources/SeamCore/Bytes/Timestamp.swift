#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A point in time as nanoseconds since the Unix epoch (CLOCK_REALTIME, the clock the kernel stamps
/// captured packets with). One clock for packets and proxy calls, so they compare directly.
public struct Timestamp: Hashable, Comparable, Sendable {
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    public init(seconds: Int64, nanoseconds: Int64) {
        self.nanoseconds = seconds &* 1_000_000_000 &+ nanoseconds
    }

    /// Now, on CLOCK_REALTIME.
    public static func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(seconds: Int64(spec.tv_sec), nanoseconds: Int64(spec.tv_nsec))
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    /// Whole seconds since the epoch (floor).
    public var seconds: Int64 { nanoseconds >= 0 ? nanoseconds / 1_000_000_000 : (nanoseconds - 999_999_999) / 1_000_000_000 }
    /// Nanoseconds within the second, 0..<1e9.
    public var subsecondNanoseconds: Int64 { nanoseconds - seconds * 1_000_000_000 }

    /// Seconds from `other` to `self` as a floating-point number.
    public func seconds(since other: Timestamp) -> Double { Double(nanoseconds - other.nanoseconds) / 1e9 }

    /// `HH:MM:SS.ffffff` in UTC, the time-of-day form tcpdump prints.
    public var timeOfDay: String {
        let day = ((seconds % 86_400) + 86_400) % 86_400
        let micros = subsecondNanoseconds / 1_000
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        var fraction = String(micros)
        fraction = String(repeating: "0", count: 6 - fraction.count) + fraction
        return "\(two(day / 3600)):\(two(day / 60 % 60)):\(two(day % 60)).\(fraction)"
    }

    /// ISO 8601 in UTC with microseconds, e.g. `2026-11-25T14:23:49.123456Z`.
    public var iso8601: String {
        var t = time_t(seconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        func pad(_ v: Int32, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        let date = "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))"
        return "\(date)T\(timeOfDay)Z"
    }
}
