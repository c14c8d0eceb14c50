/// Classic pcap: a 24-byte file header, then per packet a 16-byte record header and the captured bytes.
///
/// ```
/// file header: magic(4) version_major(2) version_minor(2) thiszone(4) sigfigs(4) snaplen(4) linktype(4)
/// record:      ts_sec(4) ts_usec_or_nsec(4) incl_len(4) orig_len(4) data(incl_len)
/// ```
/// The magic's byte order is the file's; `a1b23c4d` means nanosecond timestamps.
extension CaptureFileReader {
    static let pcapFileHeaderLength = 24
    static let pcapRecordHeaderLength = 16

    func readPcapHeader(magic: UInt32) throws {
        bigEndian = magic == 0xA1B2_C3D4 || magic == 0xA1B2_3C4D
        let nanosecond = magic == 0xA1B2_3C4D || magic == 0x4D3C_B2A1
        guard try require(Self.pcapFileHeaderLength) else {
            throw fail(
                at: 0, expected: "a 24-byte file header", found: "\(input.available) bytes",
                "pcap file header is cut short: needs 24 bytes, file ends after \(input.available)")
        }
        let snapLength = input.uint32(16, bigEndian: bigEndian)
        // LinkType and additional information: the link type is the low 16 bits; bits 16-25 are reserved
        // and bits 26-31 say whether and how long an FCS is present.
        let linkTypeField = input.uint32(20, bigEndian: bigEndian)
        interfaces.append(
            CaptureInterface(
                linkType: LinkType(rawValue: linkTypeField & 0x0000_FFFF), snapLength: Int(snapLength),
                timestampResolution: nanosecond ? .nanoseconds : .microseconds))
        input.consume(Self.pcapFileHeaderLength)
    }

    func nextPcapRecord() throws -> PacketRecord? {
        let offset = input.position
        let header = Self.pcapRecordHeaderLength
        guard try require(header) else {
            if input.available == 0 { return nil }
            throw fail(
                at: offset, expected: "a 16-byte record header", found: "\(input.available) bytes",
                "record header at byte \(offset) is cut short: needs 16 bytes, file ends after \(input.available)")
        }
        let seconds = input.uint32(0, bigEndian: bigEndian)
        let fraction = input.uint32(4, bigEndian: bigEndian)
        let capturedLength = Int(input.uint32(8, bigEndian: bigEndian))
        let originalLength = Int(input.uint32(12, bigEndian: bigEndian))
        guard capturedLength <= CaptureInput.maximumCapacity - header else {
            throw fail(
                at: offset, expected: "a captured length of at most 256 MiB", found: "\(capturedLength)",
                "record at byte \(offset) has an absurd captured length \(capturedLength)")
        }
        guard try requireRecord(header + capturedLength, at: offset) else {
            throw cutShort("record", at: offset, needs: capturedLength, skippingHeader: header)
        }
        let interface = interfaces[0]
        let subsecond = interface.timestampResolution == .nanoseconds ? Int64(fraction) : Int64(fraction) &* 1_000
        framesReturned += 1
        let record = PacketRecord(
            timestamp: Timestamp(nanoseconds: Int64(seconds) &* 1_000_000_000 &+ subsecond),
            interfaceIndex: 0, linkType: interface.linkType, originalLength: originalLength,
            data: input.slice(header, count: capturedLength), fileOffset: offset, frameNumber: framesReturned)
        input.consume(header + capturedLength)
        return record
    }
}
