import Testing

@testable import SeamWatch

@Suite struct SequenceAxisTests {
    @Test func countsFromTheBase() {
        var axis = SequenceAxis(base: 1000)
        #expect(axis.offset(of: 1000) == 0)
        #expect(axis.offset(of: 1005) == 5)
        #expect(axis.offset(of: 1009) == 9)
    }

    @Test func goesOnPastTheWrap() {
        var axis = SequenceAxis(base: 4_294_967_290)
        #expect(axis.offset(of: 4_294_967_295) == 5)
        #expect(axis.offset(of: 10) == 16)
        #expect(axis.offset(of: 4_294_967_295) == 5)  // a little behind: behind, not 4 GiB ahead
    }

    @Test func neverGoesBelowZero() {
        var axis = SequenceAxis(base: 500)
        #expect(axis.offset(of: 400) == 0)
    }
}
