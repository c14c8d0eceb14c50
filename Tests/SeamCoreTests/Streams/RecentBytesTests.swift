import Testing

@testable import SeamCore

/// The ring of recently delivered bytes against a plain model: every held byte is found as delivered, a changed
/// held byte is a mismatch, bytes before a gap or beyond the ring's reach are not held, across growth and wrap.
@Suite struct RecentBytesTests {
    @Test(arguments: [1, 7, 300, 5000])
    func heldBytesMatchAndChangedOnesDoNot(chunk: Int) {
        var recent = RecentBytes()
        var model: [UInt8] = []
        var generator = SplitMix64(state: UInt64(chunk))
        while model.count < 40_000 {
            let bytes = (0..<chunk).map { _ in UInt8.random(in: 0...255, using: &generator) }
            recent.append(bytes[...], at: UInt64(model.count))
            model += bytes
            let held = min(model.count, RecentBytes.capacity)
            let probe = model.count - Int.random(in: 1...held, using: &generator)
            let length = min(Int.random(in: 1...600, using: &generator), model.count - probe)
            var slice = Array(model[probe..<(probe + length)])
            #expect(recent.matches(slice[...], at: UInt64(probe)))
            slice[length / 2] &+= 1
            #expect(!recent.matches(slice[...], at: UInt64(probe)), "changed byte at \(probe + length / 2)")
        }
        // Beyond the ring's reach nothing is compared.
        #expect(recent.matches([0xEE, 0xEE][...], at: 0))
    }

    @Test func aGapStartsANewRun() {
        var recent = RecentBytes()
        recent.append(Array("abcdef".utf8)[...], at: 0)
        recent.append(Array("xyz".utf8)[...], at: 10)  // 6..<10 never delivered
        #expect(recent.matches(Array("abcdefGHIJxyz".utf8)[...], at: 0))  // only xyz is held now
        #expect(!recent.matches(Array("xYz".utf8)[...], at: 10))
        recent.release()
        recent.append(Array("123".utf8)[...], at: 13)
        #expect(recent.matches(Array("Xyz123".utf8)[...], at: 10))  // released bytes are not held
        #expect(!recent.matches(Array("124".utf8)[...], at: 13))
    }
}
