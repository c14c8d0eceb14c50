/// The chunkings `seam check` tries, in order: those most likely to break a program and easiest to read
/// first, so the first failure is already small.
///
/// 1. every message cut after its first byte;
/// 2. cut at its header/body boundary and either side of it (length-prefixed framings), in the middle, and
///    before its last byte;
/// 3. every two consecutive messages joined into one write;
/// 4. every message dribbled one byte at a time (1 ms apart);
/// 5. seeded random chunkings (cuts and joins drawn from `seed`), until the budget is spent.
///
/// The same messages, header size and seed always give the same sequence.
public struct ChunkingPlan: Sequence, Sendable {
    public var lengths: [Int]
    public var headerSize: Int?
    public var seed: UInt64
    public var pauseMilliseconds: Int
    /// How many random chunkings follow the chosen ones.
    public var randomCount: Int

    public init(lengths: [Int], headerSize: Int?, seed: UInt64, pauseMilliseconds: Int, randomCount: Int = 1000) {
        self.lengths = lengths
        self.headerSize = headerSize
        self.seed = seed
        self.pauseMilliseconds = pauseMilliseconds
        self.randomCount = randomCount
    }

    /// The chosen chunkings (1–4), without the random ones.
    public var chosen: [Chunking] {
        var result: [Chunking] = []
        var seen = Set<Chunking>()
        func add(_ chunking: Chunking) {
            if !chunking.isAsRecorded, seen.insert(chunking).inserted { result.append(chunking) }
        }
        let pause = pauseMilliseconds
        for (message, length) in lengths.enumerated() where length > 1 {
            add(Chunking([.cut(message: message, after: 1)], pauseMilliseconds: pause))
        }
        for (message, length) in lengths.enumerated() where length > 1 {
            var offsets: [Int] = []
            if let header = headerSize { offsets += [header, header - 1, header + 1] }
            offsets += [length / 2, length - 1]
            for after in offsets where after >= 1 && after < length {
                add(Chunking([.cut(message: message, after: after)], pauseMilliseconds: pause))
            }
        }
        for message in lengths.indices.dropLast() {
            add(Chunking([.join(message: message)], pauseMilliseconds: pause))
        }
        for (message, length) in lengths.enumerated() where length > 2 {
            add(Chunking.dribble(message: message, length: length, pauseMilliseconds: 1))
        }
        return result
    }

    public func makeIterator() -> AnyIterator<Chunking> {
        var chosen = self.chosen.makeIterator()
        var generator = SplitMix(seed: seed)
        var made = 0
        let lengths = self.lengths
        let pause = pauseMilliseconds
        let randomCount = self.randomCount
        return AnyIterator {
            if let next = chosen.next() { return next }
            guard made < randomCount, lengths.contains(where: { $0 > 1 }) || lengths.count > 1 else { return nil }
            made += 1
            var changes: [Chunking.Change] = []
            for (message, length) in lengths.enumerated() {
                if length > 1, generator.next() % 2 == 0 {
                    for _ in 0..<(1 + Int(generator.next() % 3)) {
                        changes.append(.cut(message: message, after: 1 + Int(generator.next() % UInt64(length - 1))))
                    }
                }
                if message + 1 < lengths.count, generator.next() % 5 == 0 { changes.append(.join(message: message)) }
            }
            if changes.isEmpty, let message = lengths.firstIndex(where: { $0 > 1 }) {
                changes.append(.cut(message: message, after: 1 + Int(generator.next() % UInt64(lengths[message] - 1))))
            }
            if changes.isEmpty { changes.append(.join(message: 0)) }
            return Chunking(changes, pauseMilliseconds: pause, origin: .random)
        }
    }
}

/// SplitMix64: a small seeded generator, the same numbers for the same seed on every platform.
struct SplitMix: Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
