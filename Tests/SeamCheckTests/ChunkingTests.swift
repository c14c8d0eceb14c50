import SeamCheck
import Testing

@Suite struct ChunkingTests {
    let messages = [0..<6, 6..<12, 12..<23]

    @Test func asRecordedIsOneWritePerMessage() {
        let writes = Chunking.asRecorded().writes(of: messages)
        #expect(writes.map(\.range) == messages)
        #expect(writes.map(\.finishes) == [0..<1, 1..<2, 2..<3])
        #expect(!writes.contains { $0.isPiece })
    }

    @Test func aCutMakesTwoPiecesAndAJoinOneWrite() {
        let writes = Chunking([.cut(message: 1, after: 2), .join(message: 1)], pauseMilliseconds: 5).writes(
            of: messages
        )
        #expect(writes.map(\.range) == [0..<6, 6..<8, 8..<23])
        #expect(writes.map(\.finishes) == [0..<1, 1..<1, 1..<3])
        #expect(writes.map(\.isPiece) == [false, true, true])
        #expect(writes[2].isJoin)
    }

    @Test func theWordsParseBack() throws {
        let chunking = Chunking([.cut(message: 2, after: 3), .join(message: 0)], pauseMilliseconds: 20)
        #expect(chunking.description == "cut:2@3,join:0,pause:20")
        #expect(try Chunking(parsing: chunking.description, lengths: [6, 6, 11], defaultPause: 0) == chunking)
        let dribble = try Chunking(parsing: "dribble:1,pause:1", lengths: [6, 6, 11], defaultPause: 0)
        #expect(dribble.changes.count == 5)
        #expect(dribble.description == "dribble:1,pause:1")
        #expect(throws: ChunkingError.self) { try Chunking(parsing: "cut:x", lengths: [], defaultPause: 0) }
    }

    @Test func thePlanStartsWithSingleCutsAndTheSameSeedGivesTheSameChunkings() {
        let plan = ChunkingPlan(lengths: [6, 6, 11], headerSize: nil, seed: 7, pauseMilliseconds: 20)
        let first = Array(plan.prefix(40))
        #expect(first[0] == Chunking([.cut(message: 0, after: 1)], pauseMilliseconds: 20))
        #expect(
            first
                == Array(ChunkingPlan(lengths: [6, 6, 11], headerSize: nil, seed: 7, pauseMilliseconds: 20).prefix(40))
        )
        #expect(
            first
                != Array(ChunkingPlan(lengths: [6, 6, 11], headerSize: nil, seed: 8, pauseMilliseconds: 20).prefix(40))
        )
        #expect(plan.chosen.contains(Chunking([.join(message: 1)], pauseMilliseconds: 20)))
        let withHeader = ChunkingPlan(lengths: [12], headerSize: 4, seed: 1, pauseMilliseconds: 0).chosen
        for after in [3, 4, 5, 6, 11] {
            #expect(withHeader.contains(Chunking([.cut(message: 0, after: after)], pauseMilliseconds: 0)))
        }
    }
}

@Suite struct ShrinkerTests {
    @Test func shrinksToTheOneChangeThatMatters() {
        let culprit = Chunking.Change.cut(message: 2, after: 3)
        var changes = (0..<40).map { Chunking.Change.cut(message: $0 % 10, after: 1 + $0 / 10) }
        changes.append(culprit)
        var shrinker = Shrinker(deadline: Double.greatestFiniteMagnitude)
        let smallest = shrinker.shrink(Chunking(changes, pauseMilliseconds: 1)) { $0.changes.contains(culprit) }
        #expect(smallest.changes == [culprit])
        #expect(shrinker.tries < 60)
    }

    @Test func keepsBothChangesWhenOnlyTheirPairFails() {
        let pair: Set<Chunking.Change> = [.cut(message: 0, after: 1), .join(message: 3)]
        let changes = Array(pair) + (1..<20).map { Chunking.Change.cut(message: $0, after: 2) }
        var shrinker = Shrinker(deadline: Double.greatestFiniteMagnitude)
        let smallest = shrinker.shrink(Chunking(changes, pauseMilliseconds: 1)) { pair.isSubset(of: $0.changes) }
        #expect(Set(smallest.changes) == pair)
    }
}
