import Testing

@testable import SeamCore

@Suite("CaptureFileReader: pcap")
struct CaptureFileReaderPcapTests {
    @Test("both byte orders and both resolutions give the same records", arguments: [false, true], [false, true])
    func byteOrdersAndResolutions(bigEndian: Bool, nanosecond: Bool) throws {
        let fraction: UInt32 = nanosecond ? 123_456_789 : 123_456
        let bytes = Fixture.pcap(
            bigEndian: bigEndian, nanosecond: nanosecond, linkTypeField: 113, snapLength: 96,
            records: [
                (1_700_000_000, fraction, [1, 2, 3], nil),
                (1_700_000_001, 0, Array(0..<96), 1500),
            ])
        let path = try TestFiles.write(bytes, name: "order.pcap")
        let reader = try CaptureFileReader(path: path)
        #expect(reader.format == .pcap)
        #expect(reader.interfaces.count == 1)
        #expect(reader.interfaces[0].linkType == .linuxSLL)
        #expect(reader.interfaces[0].snapLength == 96)
        #expect(reader.fileSize == bytes.count)
        let (records, error) = TestFiles.readAll(reader)
        #expect(error == nil)
        try #require(records.count == 2)
        let expectedNanos: Int64 = nanosecond ? 123_456_789 : 123_456_000
        #expect(records[0].timestamp == Timestamp(seconds: 1_700_000_000, nanoseconds: expectedNanos))
        #expect(Array(records[0].data) == [1, 2, 3])
        #expect(records[0].frameNumber == 1)
        #expect(records[0].fileOffset == 24)
        #expect(records[1].frameNumber == 2)
        #expect(records[1].fileOffset == 24 + 16 + 3)
        #expect(records[1].originalLength == 1500)
        #expect(records[1].isTruncated)
        #expect(reader.bytesRead == bytes.count)
    }

    @Test("FCS bits in the upper part of the link type field are masked off")
    func linkTypeFCSBits() throws {
        // Bit 26 (FCS present) and an FCS length of 4 in bits 28-31.
        let field: UInt32 = 0x4000_0000 | 0x0400_0000 | 1
        let path = try TestFiles.write(
            Fixture.pcap(bigEndian: false, linkTypeField: field, records: []), name: "fcs.pcap")
        let reader = try CaptureFileReader(path: path)
        #expect(reader.interfaces[0].linkType == .ethernet)
        #expect(try reader.next() == nil)
    }

    @Test("snaplen 0 and a huge snaplen are accepted")
    func oddSnapLengths() throws {
        for snap: UInt32 in [0, 0xFFFF_FFFF] {
            let bytes = Fixture.pcap(bigEndian: false, snapLength: snap, records: [(5, 6, [9, 9], nil)])
            let (records, error) = try TestFiles.readAll(path: TestFiles.write(bytes, name: "snap.pcap"))
            #expect(error == nil)
            #expect(records.count == 1)
        }
    }

    @Test("a record cut short at EOF: earlier records first, then the error at its offset")
    func truncatedRecord() throws {
        var bytes = Fixture.pcap(
            bigEndian: false, records: [(1, 0, [1, 2, 3, 4], nil), (2, 0, [UInt8](repeating: 7, count: 200), nil)])
        bytes.removeLast(7)  // the second record's body ends after 193 bytes
        let path = try TestFiles.write(bytes, name: "capture.pcap")
        let (records, error) = try TestFiles.readAll(path: path)
        #expect(records.count == 1)
        #expect(Array(records[0].data) == [1, 2, 3, 4])
        let failure = try #require(error)
        #expect(failure.offset == 24 + 16 + 4)
        #expect(
            failure.description
                == "\(path): byte 44: record at byte 44 is cut short: header says 200 bytes, file ends after 193")
    }

    @Test("a record header cut short at EOF")
    func truncatedRecordHeader() throws {
        var bytes = Fixture.pcap(bigEndian: true, records: [(1, 0, [1], nil)])
        bytes += [0, 0, 0, 1, 0]  // five bytes of a header
        let (records, error) = try TestFiles.readAll(path: TestFiles.write(bytes, name: "h.pcap"))
        #expect(records.count == 1)
        #expect(error?.offset == 24 + 17)
        #expect(error?.message.contains("needs 16 bytes, file ends after 5") == true)
    }

    @Test("an absurd captured length is an error, not an allocation")
    func absurdLength() throws {
        var b = FixtureBytes(bigEndian: false)
        b.bytes = Fixture.pcap(bigEndian: false, records: [])
        b.u32(1)
        b.u32(0)
        b.u32(0xFFFF_FFF0)
        b.u32(0xFFFF_FFF0)
        let reader = try CaptureFileReader(path: TestFiles.write(b.bytes, name: "absurd.pcap"))
        #expect(throws: CaptureFileError.self) { try reader.next() }
        // Later calls throw the same error again.
        #expect(throws: CaptureFileError.self) { try reader.next() }
    }

    @Test("a cut-short file header and bad magic are errors naming the file")
    func badHeaders() throws {
        let short = try TestFiles.write([0xD4, 0xC3, 0xB2, 0xA1, 2, 0], name: "short.pcap")
        #expect(throws: CaptureFileError.self) { try CaptureFileReader(path: short) }

        let bad = try TestFiles.write([0x12, 0x34, 0x56, 0x78, 0, 0, 0, 0], name: "capture.bin")
        do {
            _ = try CaptureFileReader(path: bad)
            Issue.record("bad magic accepted")
        } catch let error as CaptureFileError {
            #expect(error.description == "\(bad): byte 0: not a pcap or pcapng file (magic 0x12345678)")
        }

        let empty = try TestFiles.write([], name: "empty.pcap")
        #expect(throws: CaptureFileError.self) { try CaptureFileReader(path: empty) }

        do {
            _ = try CaptureFileReader(path: "/nonexistent/seam.pcap")
            Issue.record("missing file opened")
        } catch let error as CaptureFileError {
            #expect(error.description == "/nonexistent/seam.pcap: cannot open: No such file or directory")
        }
    }
}
