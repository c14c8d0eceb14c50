import Foundation
import Testing

@testable import SeamCore

@Suite("CaptureFileReader: pcapng")
struct CaptureFileReaderPcapngTests {
    @Test("sections in both byte orders, interfaces reset per section, each packet with its interface's link type")
    func multipleSections() throws {
        var bytes = Fixture.sectionHeader(bigEndian: true, comments: ["first section"])
        bytes += Fixture.interface(bigEndian: true, linkType: 1, snapLength: 65535, name: "eth0")
        bytes += Fixture.interface(bigEndian: true, linkType: 0, name: "lo")
        bytes += Fixture.enhancedPacket(bigEndian: true, interface: 1, units: 1_000_000, data: [0xAA])
        bytes += Fixture.enhancedPacket(
            bigEndian: true, interface: 0, units: 2_000_001, data: [1, 2, 3, 4, 5], originalLength: 60,
            comments: ["hello", "two comments"])
        bytes += Fixture.sectionHeader(bigEndian: false, comments: ["second", "more"])
        bytes += Fixture.interface(bigEndian: false, linkType: 252)
        bytes += Fixture.enhancedPacket(bigEndian: false, interface: 0, units: 3, data: [7, 7])
        bytes += Fixture.sectionHeader(bigEndian: true)
        bytes += Fixture.interface(bigEndian: true, linkType: 101)
        bytes += Fixture.enhancedPacket(bigEndian: true, interface: 0, units: 4, data: [0x45])
        let path = try TestFiles.write(bytes, name: "sections.pcapng")
        let reader = try CaptureFileReader(path: path)
        #expect(reader.format == .pcapng)
        let (records, error) = TestFiles.readAll(reader)
        #expect(error == nil)
        try #require(records.count == 4)
        #expect(records.map(\.linkType) == [.null, .ethernet, .wiresharkUpperPDU, .raw])
        #expect(records.map(\.interfaceIndex) == [1, 0, 0, 0])
        #expect(records.map(\.frameNumber) == [1, 2, 3, 4])
        #expect(records[0].timestamp == Timestamp(seconds: 1, nanoseconds: 0))
        #expect(records[1].timestamp == Timestamp(seconds: 2, nanoseconds: 1_000))
        #expect(records[1].comments == ["hello", "two comments"])
        #expect(records[1].originalLength == 60)
        #expect(Array(records[1].data) == [1, 2, 3, 4, 5])
        #expect(records[0].comments.isEmpty)
        #expect(reader.sectionComments == ["first section", "second\nmore", ""])
        #expect(reader.interfaces.map(\.sectionIndex) == [0, 0, 1, 2])
        #expect(reader.interfaces.map(\.indexInSection) == [0, 1, 0, 0])
        #expect(reader.interfaces[0].name == "eth0")
        #expect(reader.interfaces[0].snapLength == 65535)
        // fileOffset: the first EPB follows the SHB and two IDBs.
        let firstEPB =
            Fixture.sectionHeader(bigEndian: true, comments: ["first section"]).count
            + Fixture.interface(bigEndian: true, linkType: 1, snapLength: 65535, name: "eth0").count
            + Fixture.interface(bigEndian: true, linkType: 0, name: "lo").count
        #expect(records[0].fileOffset == firstEPB)
    }

    @Test(
        "if_tsresol powers of ten and of two, and if_tsoffset",
        arguments: [
            (UInt8(3), UInt64(1_500), Int64(0), Int64(1_500_000_000)),  // milliseconds
            (UInt8(9), UInt64(1_500), Int64(0), Int64(1_500)),  // nanoseconds
            (UInt8(12), UInt64(1_500_000), Int64(0), Int64(1_500)),  // picoseconds
            (UInt8(0x80 | 20), UInt64(3 << 19), Int64(0), Int64(1_500_000_000)),  // 2^-20: 1.5 s
            (UInt8(0x80 | 10), UInt64(1), Int64(0), Int64(976_562)),  // 2^-10 s
            (UInt8(6), UInt64(2), Int64(100), Int64(100_000_002_000)),  // µs + 100 s offset
            (UInt8(6), UInt64(0), Int64(-1), Int64(-1_000_000_000)),  // negative offset
        ])
    func timestampResolution(tsresol: UInt8, units: UInt64, offset: Int64, nanoseconds: Int64) throws {
        var bytes = Fixture.sectionHeader(bigEndian: false)
        bytes += Fixture.interface(
            bigEndian: false, linkType: 1, tsresol: tsresol, tsoffset: offset == 0 ? nil : offset)
        bytes += Fixture.enhancedPacket(bigEndian: false, interface: 0, units: units, data: [1])
        let reader = try CaptureFileReader(path: TestFiles.write(bytes, name: "tsresol.pcapng"))
        let record = try #require(try reader.next())
        #expect(record.timestamp.nanoseconds == nanoseconds)
        #expect(reader.interfaces[0].timestampResolution.rawValue == tsresol)
        #expect(reader.interfaces[0].timestampOffsetSeconds == offset)
    }

    @Test("SPB: interface 0, captured length bounded by the snaplen; PB with a comment")
    func simpleAndObsoletePackets() throws {
        for bigEndian in [false, true] {
            var bytes = Fixture.sectionHeader(bigEndian: bigEndian)
            bytes += Fixture.interface(bigEndian: bigEndian, linkType: 1, snapLength: 4)
            bytes += Fixture.simplePacket(bigEndian: bigEndian, data: [1, 2, 3, 4, 5, 6, 7, 8], originalLength: 100)
            bytes += Fixture.simplePacket(bigEndian: bigEndian, data: [9, 8], originalLength: 2)
            bytes += Fixture.obsoletePacket(bigEndian: bigEndian, interface: 0, units: 7, data: [5], comment: "pb")
            let (records, error) = try TestFiles.readAll(path: TestFiles.write(bytes, name: "spb.pcapng"))
            #expect(error == nil)
            try #require(records.count == 3)
            #expect(Array(records[0].data) == [1, 2, 3, 4])
            #expect(records[0].originalLength == 100)
            #expect(Array(records[1].data) == [9, 8])
            #expect(records[2].comments == ["pb"])
            #expect(records[2].timestamp.nanoseconds == 7_000)
        }
    }

    @Test("NRB, ISB, DSB, custom and unknown blocks are skipped by their length")
    func skippedBlocks() throws {
        var bytes = Fixture.sectionHeader(bigEndian: true)
        bytes += Fixture.opaque(4, bigEndian: true)  // NRB
        bytes += Fixture.interface(bigEndian: true, linkType: 1)
        bytes += Fixture.opaque(5, bigEndian: true, bodyLength: 20)  // ISB
        bytes += Fixture.opaque(0x0A, bigEndian: true)  // DSB
        bytes += Fixture.opaque(0x0000_0BAD, bigEndian: true, bodyLength: 8)  // custom, copiable
        bytes += Fixture.enhancedPacket(bigEndian: true, interface: 0, units: 1, data: [1])
        bytes += Fixture.opaque(0x4000_0BAD, bigEndian: true, bodyLength: 0)  // custom, not copiable
        bytes += Fixture.opaque(0x1234_5678, bigEndian: true, bodyLength: 40)  // unknown
        bytes += Fixture.enhancedPacket(bigEndian: true, interface: 0, units: 2, data: [2])
        let (records, error) = try TestFiles.readAll(path: TestFiles.write(bytes, name: "skip.pcapng"))
        #expect(error == nil)
        #expect(records.map { Array($0.data) } == [[1], [2]])
        #expect(records.map(\.frameNumber) == [1, 2])
    }

    @Test("a block larger than the 1 MiB buffer grows it")
    func largeBlock() throws {
        let big = (0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var bytes = Fixture.sectionHeader(bigEndian: false)
        bytes += Fixture.interface(bigEndian: false, linkType: 1)
        bytes += Fixture.enhancedPacket(bigEndian: false, interface: 0, units: 1, data: [1, 2])
        bytes += Fixture.enhancedPacket(bigEndian: false, interface: 0, units: 2, data: big)
        bytes += Fixture.enhancedPacket(bigEndian: false, interface: 0, units: 3, data: [3])
        let path = try TestFiles.write(bytes, name: "big.pcapng")
        defer { unlink(path) }
        let (records, error) = try TestFiles.readAll(path: path)
        #expect(error == nil)
        try #require(records.count == 3)
        // The first record's slice stayed valid although the buffer was replaced under it.
        #expect(Array(records[0].data) == [1, 2])
        #expect(Array(records[1].data) == big)
        #expect(Array(records[2].data) == [3])
    }
}
