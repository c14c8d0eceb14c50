import Testing

@testable import SeamCore

@Suite("CaptureFileReader: damaged pcapng")
struct CaptureFileReaderErrorTests {
    static let header = Fixture.sectionHeader(bigEndian: false) + Fixture.interface(bigEndian: false, linkType: 1)
    static let good = Fixture.enhancedPacket(bigEndian: false, interface: 0, units: 1, data: [1, 2, 3])

    /// Reads `header + good + damaged`; expects one packet and an error at the damaged block's offset.
    func expectFault(
        _ damaged: [UInt8], _ message: String, at delta: Int = 0, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let bytes = Self.header + Self.good + damaged
        let path = try TestFiles.write(bytes, name: "capture.pcapng")
        let (records, error) = try TestFiles.readAll(path: path)
        #expect(records.count == 1, sourceLocation: sourceLocation)
        #expect(records.first.map { Array($0.data) } == [1, 2, 3], sourceLocation: sourceLocation)
        let offset = Self.header.count + Self.good.count + delta
        #expect(error?.offset == offset, sourceLocation: sourceLocation)
        #expect(
            error?.description == "\(path): byte \(offset): \(message)", sourceLocation: sourceLocation)
    }

    @Test("block length not a multiple of 4")
    func unalignedLength() throws {
        var block = Fixture.opaque(0x1234, bigEndian: false)
        block[4] = 7
        try expectFault(block, "block length 7 is not a multiple of 4")
    }

    @Test("leading and trailing lengths differ")
    func trailingMismatch() throws {
        var block = Fixture.opaque(0x1234, bigEndian: false)
        block[block.count - 4] = 28
        try expectFault(block, "block length mismatch: leading length 24, trailing length 28")
    }

    @Test("block cut short at end of file")
    func cutShort() throws {
        let block = Array(
            Fixture.enhancedPacket(bigEndian: false, interface: 0, units: 1, data: [9, 9, 9, 9]).prefix(30))
        try expectFault(block, "block at byte 84 is cut short: header says 36 bytes, file ends after 30")
    }

    @Test("block header cut short at end of file")
    func headerCutShort() throws {
        try expectFault([6, 0, 0], "block header at byte 84 is cut short: needs 8 bytes, file ends after 3")
    }

    @Test("absurd and too small lengths")
    func absurdLengths() throws {
        var huge = Fixture.opaque(0x1234, bigEndian: false)
        huge.replaceSubrange(4..<8, with: [0xF0, 0xFF, 0xFF, 0xFF])
        try expectFault(huge, "block length 4294967280 is absurd (more than 256 MiB)")
        var tiny = Fixture.enhancedPacket(bigEndian: false, interface: 0, units: 1, data: [])
        tiny.replaceSubrange(4..<8, with: [8, 0, 0, 0])
        try expectFault(tiny, "block length 8 is too short for block type 0x00000006 (at least 32)")
    }

    @Test("a large length in a small file is cut short without reading or growing the buffer")
    func largeLengthInSmallFile() throws {
        var block = Fixture.enhancedPacket(bigEndian: false, interface: 0, units: 1, data: [9, 9, 9, 9])
        block.replaceSubrange(4..<8, with: [0, 0, 0, 4])  // 64 MiB
        try expectFault(block, "block at byte 84 is cut short: header says 67108864 bytes, file ends after 36")
    }

    @Test("EPB on an interface the section did not define")
    func undefinedInterface() throws {
        let block = Fixture.enhancedPacket(bigEndian: false, interface: 3, units: 1, data: [1])
        try expectFault(block, "packet refers to interface 3, but the section defines 1 interface(s)")
    }

    @Test("captured length larger than the block")
    func capturedLengthTooLarge() throws {
        var block = Fixture.enhancedPacket(bigEndian: false, interface: 0, units: 1, data: [1, 2, 3, 4])
        block[20] = 200
        try expectFault(block, "captured length 200 does not fit in a block of length 36")
    }

    @Test("option running past its block")
    func optionOverrun() throws {
        var block = Fixture.enhancedPacket(bigEndian: false, interface: 0, units: 1, data: [1], comments: ["abcd"])
        block[34] = 0xFF  // comment length 0x00ff
        try expectFault(block, "option 1 of length 255 runs past the end of its block", at: 32)
    }

    @Test("bad byte-order magic in a later section")
    func badByteOrderMagic() throws {
        var block = Fixture.sectionHeader(bigEndian: false)
        block[8] = 0x99
        try expectFault(block, "section header has a bad byte-order magic 0x993c2b1a", at: 8)
    }

    @Test("every prefix of a valid file reads without trapping")
    func everyPrefix() throws {
        var bytes = Self.header
        bytes += Fixture.enhancedPacket(bigEndian: false, interface: 0, units: 5, data: [1, 2, 3], comments: ["c"])
        bytes += Fixture.simplePacket(bigEndian: false, data: [4, 5], originalLength: 2)
        bytes += Fixture.opaque(5, bigEndian: false)
        for length in 0..<bytes.count {
            let path = try TestFiles.write(Array(bytes.prefix(length)), name: "prefix.pcapng")
            guard let reader = try? CaptureFileReader(path: path) else {
                // init reads the section header and interfaces, so it fails only before the first packet.
                #expect(length < Self.header.count + 8)
                continue
            }
            let (records, _) = TestFiles.readAll(reader)
            #expect(records.count <= 2)
        }
    }

    @Test("random bit flips never trap")
    func bitFlips() throws {
        var bytes = Self.header + Self.good
        bytes += Fixture.simplePacket(bigEndian: false, data: [4, 5], originalLength: 2)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            var damaged = bytes
            for _ in 0..<3 {
                let index = Int.random(in: 0..<damaged.count, using: &generator)
                damaged[index] ^= UInt8.random(in: 1...255, using: &generator)
            }
            let path = try TestFiles.write(damaged, name: "flip.pcapng")
            if let reader = try? CaptureFileReader(path: path) {
                _ = TestFiles.readAll(reader)
            }
        }
    }
}
