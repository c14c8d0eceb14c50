import SeamCheck
import SeamCore
import Testing

@Suite struct RecordedExchangeTests {
    func call(_ kind: SessionCall.Kind, _ leg: Leg, _ direction: Direction, _ text: String, at time: Int64)
        -> SessionCall
    {
        var call = SessionCall(
            kind: kind,
            connection: 1,
            leg: leg,
            direction: direction,
            length: text.utf8.count,
            timestamp: Timestamp(nanoseconds: time),
            payload: Array(text.utf8)
        )
        call.offset = 0
        return call
    }

    @Test func aProxySessionIsReplayedFromTheProxysReadsNotItsRechunkedWrites() throws {
        var piece = call(.send, .upstream, .clientToServer, "hel", at: 11)
        piece.rechunk = .split
        var rest = call(.send, .upstream, .clientToServer, "lo\n", at: 12)
        rest.rechunk = .split
        let calls = [
            call(.recv, .downstream, .clientToServer, "hello\n", at: 10), piece, rest,
            call(.recv, .upstream, .serverToClient, "got hello\n", at: 20),
            call(.send, .downstream, .serverToClient, "got hello\n", at: 21),
        ]
        let exchanges = try RecordedExchange.connections(in: calls)
        #expect(exchanges.count == 1)
        #expect(exchanges[0].clientChunks.map(\.range) == [0..<6])
        #expect(exchanges[0].serverBytes == Array("got hello\n".utf8))
        #expect(exchanges[0].bytesBefore(Timestamp(nanoseconds: 20), sentBy: .clientToServer) == 6)
    }

    @Test func aSessionWithoutPayloadSaysSo() {
        var bare = call(.recv, .downstream, .clientToServer, "hello\n", at: 10)
        bare.payload = nil
        #expect(throws: CheckError.self) { try RecordedExchange.connections(in: [bare]) }
        do {
            _ = try RecordedExchange.connections(in: [bare])
        } catch {
            #expect("\(error)".contains("--no-payload"))
        }
    }
}
