import Foundation
import Testing

@testable import SeamCore

/// Truncates, bit-flips and splices every capture of the shared corpus and Seam's own writers' output at many
/// offsets (seeded, so a failure repeats), and runs each damaged copy through the reader and the whole
/// pipeline (reader → decoder → flow table → reassembly). None may crash or hang; each reads to its end or
/// stops with a `CaptureFileError` naming the file and a byte offset; every packet before the damage is
/// returned unchanged.
@Suite("Corrupt corpus", .serialized)
struct CorruptCorpusTests {
    /// About how many bytes each test reads per source; bounds the run time in debug builds.
    static let byteBudget = 2 << 20

    static let sources: [CorruptCorpus.Source] = {
        let (paths, skipReason) = CorruptCorpus.sharedCorpus()
        if let skipReason { print("CorruptCorpusTests: \(skipReason)") }
        let generated = (try? CorruptCorpus.generated()) ?? []
        return (generated + paths).compactMap { try? CorruptCorpus.load($0) }
    }()

    /// Mutations for a source of `size` bytes: many for small files, at least 3 for the largest.
    static func mutationCount(size: Int, most: Int) -> Int {
        max(3, min(most, byteBudget / max(size, 1)))
    }

    /// What reading a damaged copy gave: the reader's records and error, and the pipeline's count and error.
    struct Outcome {
        var records: [PacketRecord]
        var error: CaptureFileError?
    }

    /// Reads `bytes` (written as a file named after `label`) with the reader and with the scanner pipeline,
    /// checks what holds for every damaged file, and that the packets wholly before `intactUpTo` are returned
    /// as in the clean file.
    @discardableResult
    func check(
        _ bytes: [UInt8], label: String, source: CorruptCorpus.Source, intactUpTo: Int,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> Outcome {
        let path = try TestFiles.write(bytes, name: label)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var outcome = Outcome(records: [], error: nil)
        do {
            (outcome.records, outcome.error) = TestFiles.readAll(try CaptureFileReader(path: path))
        } catch let error as CaptureFileError {
            outcome.error = error
        }
        if let error = outcome.error {
            let offset = try #require(
                error.offset, "\(label): error without offset: \(error)", sourceLocation: sourceLocation)
            #expect((0...bytes.count).contains(offset), "\(label): \(error)", sourceLocation: sourceLocation)
            #expect(
                error.description.hasPrefix("\(path): byte \(offset): "), "\(label): \(error)",
                sourceLocation: sourceLocation)
        }
        let intact = source.packetCount(endingBy: intactUpTo)
        #expect(
            outcome.records.count >= intact, "\(label): \(outcome.records.count) packets, \(intact) before the damage",
            sourceLocation: sourceLocation)
        for (read, clean) in zip(outcome.records, source.packets.prefix(intact)) {
            guard read.data == clean.record.data, read.timestamp == clean.record.timestamp else {
                Issue.record(
                    "\(label): frame \(read.frameNumber) differs from the clean read", sourceLocation: sourceLocation)
                break
            }
        }

        // The whole pipeline on the same bytes: same packets, same fault, no trap in decoding or reassembly.
        let table = FlowTable()
        if let scanner = try? CaptureScanner(path: path, table: table) {
            scanner.run()
            #expect(scanner.packetCount == outcome.records.count, "\(label)", sourceLocation: sourceLocation)
            #expect(scanner.failure == outcome.error, "\(label)", sourceLocation: sourceLocation)
        } else {
            #expect(outcome.error != nil && outcome.records.isEmpty, "\(label)", sourceLocation: sourceLocation)
        }
        return outcome
    }

    @Test("truncated at block boundaries and inside blocks: exactly the packets before the cut")
    func truncation() throws {
        #expect(Self.sources.count >= 2, "no captures to damage")
        var generator = SplitMix64(state: 0x5EA1)
        for source in Self.sources {
            let size = source.bytes.count
            let count = Self.mutationCount(size: size, most: 20)
            var cuts: Set<Int> = [0, 3, 24, 25, size - 1]
            // Around a sample of block ends: on it, and k bytes after it.
            for block in source.blocks.shuffled(using: &generator).prefix(count / 2) {
                let end = block.offset + block.length
                for k in [0, 1, 16, 28] where end + k < size && cuts.count < count + 5 { cuts.insert(end + k) }
            }
            while cuts.count < count + 5 { cuts.insert(Int.random(in: 0..<size, using: &generator)) }
            for cut in cuts.sorted() where cut >= 0 && cut < size {
                let label = "\(source.name)-cut\(cut)"
                let outcome = try check(Array(source.bytes[..<cut]), label: label, source: source, intactUpTo: cut)
                let before = source.packetCount(endingBy: cut)
                #expect(outcome.records.count == before, "\(label): read \(outcome.records.count), expected \(before)")
                if cut > 0, source.boundaries.contains(cut) {
                    #expect(outcome.error == nil, "\(label): cut at a block end must read cleanly")
                } else {
                    #expect(outcome.error != nil, "\(label): a cut inside a block must be reported")
                    #expect(
                        outcome.error?.offset == source.blockStart(containing: cut),
                        "\(label): \(outcome.error.map(String.init(describing:)) ?? "no error")")
                }
            }
        }
    }

    @Test("bit flips: no trap, packets before the first flip unchanged")
    func bitFlips() throws {
        var generator = SplitMix64(state: 0xF11B)
        for source in Self.sources {
            let size = source.bytes.count
            for round in 0..<Self.mutationCount(size: size, most: 24) {
                var bytes = source.bytes
                var first = size
                for _ in 0..<Int.random(in: 1...4, using: &generator) {
                    // Half the flips land in the first 64 bytes, where the headers and lengths are.
                    let index = Bool.random(using: &generator)
                        ? Int.random(in: 0..<min(64, size), using: &generator)
                        : Int.random(in: 0..<size, using: &generator)
                    bytes[index] ^= 1 << UInt8.random(in: 0..<8, using: &generator)
                    first = min(first, index)
                }
                try check(bytes, label: "\(source.name)-flip\(round)", source: source, intactUpTo: first)
            }
        }
    }

    @Test("splices of two captures: no trap, packets before the splice unchanged")
    func splices() throws {
        var generator = SplitMix64(state: 0x5B11CE)
        let sources = Self.sources
        for source in sources {
            for round in 0..<Self.mutationCount(size: source.bytes.count, most: 12) {
                let other = sources.randomElement(using: &generator)!
                let cut = Int.random(in: 0...source.bytes.count, using: &generator)
                let from = Int.random(in: 0..<other.bytes.count, using: &generator)
                let tail = other.bytes[from...].prefix(Self.byteBudget / 8)
                try check(
                    Array(source.bytes[..<cut]) + tail, label: "\(source.name)-splice\(round)", source: source,
                    intactUpTo: cut)
            }
        }
    }
}
