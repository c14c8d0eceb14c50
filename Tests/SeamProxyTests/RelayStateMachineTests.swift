import Testing

@testable import SeamProxy

@Suite struct RelayStateMachineTests {
    @Test func clientFINIsPassedOnAndBothFINsCloseBothLegs() {
        var machine = RelayStateMachine()
        #expect(machine.readEOF(on: .downstream) == [.shutdownOutput(.upstream)])
        #expect(!machine.bothDirectionsFinished)
        #expect(machine.readEOF(on: .upstream) == [.close(.downstream), .close(.upstream)])
        #expect(machine.bothDirectionsFinished)
        #expect(machine.closed(.downstream) == [])
        #expect(machine.closed(.upstream) == [])
        #expect(machine.isFinished)
    }

    @Test func serverFINFirstShutsTheClientLeg() {
        var machine = RelayStateMachine()
        #expect(machine.readEOF(on: .upstream) == [.shutdownOutput(.downstream)])
        #expect(machine.readEOF(on: .upstream) == [], "a second EOF is ignored")
        #expect(machine.readEOF(on: .downstream) == [.close(.upstream), .close(.downstream)])
    }

    @Test func aFailedLegResetsTheOther() {
        var machine = RelayStateMachine()
        #expect(machine.failed(.downstream) == [.reset(.upstream)])
        #expect(machine.closed(.downstream) == [], "the other leg is already being reset")
        #expect(machine.closed(.upstream) == [])
        #expect(machine.isFinished)
    }

    @Test func aLegClosedWithoutFailureClosesTheOtherGracefully() {
        var machine = RelayStateMachine()
        // NIO closes a leg itself when it reads FIN after we sent ours.
        #expect(machine.readEOF(on: .downstream) == [.shutdownOutput(.upstream)])
        #expect(machine.closed(.upstream) == [.close(.downstream)])
        #expect(machine.failed(.downstream) == [], "nothing left to reset")
    }

    @Test func idleTimeoutClosesBothLegsOnce() {
        var machine = RelayStateMachine()
        #expect(machine.idleTimeout() == [.close(.downstream), .close(.upstream)])
        #expect(machine.idleTimeout() == [])
        #expect(machine.closed(.downstream) == [])
    }

    @Test func eofAfterTheOtherLegClosedDoesNothing() {
        var machine = RelayStateMachine()
        #expect(machine.closed(.upstream) == [.close(.downstream)])
        #expect(machine.readEOF(on: .downstream) == [])
    }
}
