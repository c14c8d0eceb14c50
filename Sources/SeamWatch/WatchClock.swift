import SeamCore

#if canImport(Glibc)
import Glibc
#endif

/// Turns the kernel's CLOCK_MONOTONIC times (`bpf_ktime_get_ns`) into CLOCK_REALTIME, the clock of captured
/// packets and of every session file.
///
/// The offset between the clocks is measured by reading REALTIME between two MONOTONIC reads and keeping
/// the tightest of a few tries (error: half the tightest bracket, well under a microsecond). `refresh()`
/// measures it again; a step of the wall clock (settimeofday, NTP steps) moves it, slewing moves both.
struct WatchClock: Sendable {
    private(set) var offset: Int64

    init() {
        offset = Self.measure()
    }

    mutating func refresh() {
        offset = Self.measure()
    }

    func realtime(monotonic nanoseconds: UInt64) -> Timestamp {
        Timestamp(nanoseconds: Int64(bitPattern: nanoseconds) &+ offset)
    }

    static func measure() -> Int64 {
        var best: (width: Int64, offset: Int64)?
        for _ in 0..<5 {
            let before = read(CLOCK_MONOTONIC)
            let wall = read(CLOCK_REALTIME)
            let after = read(CLOCK_MONOTONIC)
            let width = after - before
            let offset = wall - (before + width / 2)
            if best == nil || width < best!.width { best = (width, offset) }
        }
        return best!.offset
    }

    static func read(_ clock: clockid_t) -> Int64 {
        var time = timespec()
        clock_gettime(clock, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }
}
