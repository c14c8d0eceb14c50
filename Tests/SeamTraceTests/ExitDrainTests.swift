import Testing

@testable import SeamTrace

@Suite("ExitDrain")
struct ExitDrainTests {
    static let ms: Int64 = 1_000_000

    /// One round of `drain` at `milliseconds` after the end.
    static func round(
        _ drain: inout ExitDrain,
        at milliseconds: Int64,
        took: Bool = false,
        empty: Bool = true,
        alive: Bool = true,
        interruptions: UInt64 = 0
    ) -> Bool {
        drain.shouldStop(
            now: milliseconds * ms,
            tookEvents: took,
            isEmpty: empty,
            producersAlive: alive,
            interruptions: interruptions
        )
    }

    @Test("nothing left and no writer alive: stop at once")
    func drained() {
        var drain = ExitDrain()
        let stops = Self.round(&drain, at: 0, alive: false)
        #expect(stops && drain.stopReason == .drained)
    }

    @Test("events keep it going; a writer alive but quiet for 100 ms stops it")
    func quiet() {
        var drain = ExitDrain()
        let rounds = [
            Self.round(&drain, at: 0, took: true), Self.round(&drain, at: 10), Self.round(&drain, at: 60),
            Self.round(&drain, at: 70, took: true), Self.round(&drain, at: 80), Self.round(&drain, at: 179),
            Self.round(&drain, at: 180),
        ]
        #expect(rounds == [false, false, false, false, false, false, true])
        #expect(drain.stopReason == .quiet)
    }

    @Test("a writer that never stops is cut at the limit; a further signal stops at once")
    func limitAndInterruption() {
        var busy = ExitDrain(quietMilliseconds: 100, limitMilliseconds: 2000)
        var now: Int64 = 0
        while !Self.round(&busy, at: now, took: true, empty: false) { now += 10 }
        #expect(busy.stopReason == .limit && now == 2000)
        var interrupted = ExitDrain()
        let first = Self.round(&interrupted, at: 0, took: true, interruptions: 3)
        let second = Self.round(&interrupted, at: 1, took: true, interruptions: 4)
        #expect(!first && second && interrupted.stopReason == .interrupted)
    }
}
