/// pcapng: a sequence of blocks, each `type(4) total_length(4) body total_length(4)`, in the byte order of
/// the section's header block. Packets come from EPBs, SPBs and obsolete PBs; SHBs start sections and reset
/// the interfaces; IDBs define interfaces; everything else (NRB, ISB, DSB, custom, unknown) is skipped by
/// its length.
extension CaptureFileReader {
    enum BlockType {
        static let sectionHeader: UInt32 = 0x0A0D_0D0A
        static let interfaceDescription: UInt32 = 0x0000_0001
        static let packet: UInt32 = 0x0000_0002  // obsolete
        static let simplePacket: UInt32 = 0x0000_0003
        static let enhancedPacket: UInt32 = 0x0000_0006
        static let interfaceStatistics: UInt32 = 0x0000_0005
    }
    static let byteOrderMagic: UInt32 = 0x1A2B_3C4D

    /// The next packet block as a record, after processing the blocks before it. With `stopBeforePacket`
    /// it returns `nil` in front of the next packet block instead, leaving it unread: `init` uses that to
    /// read the first section's header and interfaces before the caller asks for packets.
    func nextPcapngPacket(stopBeforePacket: Bool = false) throws -> PacketRecord? {
        while true {
            let offset = input.position
            guard try require(8) else {
                if input.available == 0 { return nil }
                throw fail(
                    at: offset, expected: "an 8-byte block header", found: "\(input.available) bytes",
                    "block header at byte \(offset) is cut short: needs 8 bytes, file ends after \(input.available)")
            }
            let type = input.uint32(0, bigEndian: bigEndian)
            if type == BlockType.sectionHeader {
                try readByteOrder(at: offset)
            } else if sectionIndex < 0 {
                throw fail(
                    at: offset, expected: "a section header block", found: "block type 0x\(hex8(type))",
                    "file does not start with a section header block (block type 0x\(hex8(type)))")
            }
            if stopBeforePacket && Self.isPacketBlock(type) { return nil }
            let length = Int(input.uint32(4, bigEndian: bigEndian))
            try checkBlockLength(length, type: type, at: offset)
            guard try requireRecord(length, at: offset) else {
                throw cutShort("block", at: offset, needs: length)
            }
            let trailing = Int(input.uint32(length - 4, bigEndian: bigEndian))
            guard trailing == length else {
                throw fail(
                    at: offset, expected: "trailing block length \(length)", found: "\(trailing)",
                    "block length mismatch: leading length \(length), trailing length \(trailing)")
            }
            switch type {
            case BlockType.sectionHeader:
                try readSectionHeader(length: length, at: offset)
            case BlockType.interfaceDescription:
                try readInterfaceDescription(length: length, at: offset)
            case BlockType.enhancedPacket, BlockType.packet:
                let record = try readPacketBlock(type: type, length: length, at: offset)
                input.consume(length)
                return record
            case BlockType.simplePacket:
                let record = try readSimplePacket(length: length, at: offset)
                input.consume(length)
                return record
            case BlockType.interfaceStatistics:
                readInterfaceStatistics(length: length, at: offset)
            default:
                break  // NRB, DSB, custom and unknown blocks
            }
            input.consume(length)
        }
    }

    /// Sets `bigEndian` from a section header's byte-order magic.
    private func readByteOrder(at offset: Int) throws {
        guard try require(12) else {
            throw cutShort("section header block", at: offset, needs: 12)
        }
        switch input.uint32(8, bigEndian: true) {
        case Self.byteOrderMagic: bigEndian = true
        case Self.byteOrderMagic.byteSwapped: bigEndian = false
        case let other:
            throw fail(
                at: offset + 8, expected: "byte-order magic 0x1a2b3c4d", found: "0x\(hex8(other))",
                "section header has a bad byte-order magic 0x\(hex8(other))")
        }
    }

    private func checkBlockLength(_ length: Int, type: UInt32, at offset: Int) throws {
        let minimum = Self.minimumBlockLength(type)
        guard length % 4 == 0 else {
            throw fail(
                at: offset, expected: "a block length that is a multiple of 4", found: "\(length)",
                "block length \(length) is not a multiple of 4")
        }
        guard length >= minimum else {
            throw fail(
                at: offset, expected: "a block length of at least \(minimum)", found: "\(length)",
                "block length \(length) is too short for block type 0x\(hex8(type)) (at least \(minimum))")
        }
        guard length <= CaptureInput.maximumCapacity else {
            throw fail(
                at: offset, expected: "a block length of at most 256 MiB", found: "\(length)",
                "block length \(length) is absurd (more than 256 MiB)")
        }
    }

    static func isPacketBlock(_ type: UInt32) -> Bool {
        type == BlockType.enhancedPacket || type == BlockType.packet || type == BlockType.simplePacket
    }

    static func minimumBlockLength(_ type: UInt32) -> Int {
        switch type {
        case BlockType.sectionHeader: return 28
        case BlockType.interfaceDescription: return 20
        case BlockType.enhancedPacket, BlockType.packet: return 32
        case BlockType.simplePacket: return 16
        default: return 12
        }
    }

    /// ISB: keeps `isb_ifdrop` (packets the interface or capture lost) per interface; the rest is skipped.
    /// Statistics are a courtesy: a damaged ISB is skipped like any block Seam does not need.
    private func readInterfaceStatistics(length: Int, at offset: Int) {
        guard length >= 24 else { return }
        let interface = sectionFirstInterface + Int(input.uint32(8, bigEndian: bigEndian))
        try? visitOptions(from: 20, to: length - 4, blockOffset: offset) { code, start, count in
            if code == 5 && count == 8 {  // isb_ifdrop
                let high = UInt64(self.input.uint32(start, bigEndian: self.bigEndian))
                let low = UInt64(self.input.uint32(start + 4, bigEndian: self.bigEndian))
                self.interfaceDrops[interface] = self.bigEndian ? high << 32 | low : low << 32 | high
            }
        }
    }

    private func readSectionHeader(length: Int, at offset: Int) throws {
        let major = input.uint16(12, bigEndian: bigEndian)
        guard major == 1 else {
            throw fail(
                at: offset + 12, expected: "pcapng major version 1", found: "\(major)",
                "unsupported pcapng major version \(major)")
        }
        var comments: [String] = []
        try visitOptions(from: 24, to: length - 4, blockOffset: offset) { code, start, count in
            if code == 1 { comments.append(self.optionString(start, count)) }
        }
        sectionIndex += 1
        sectionFirstInterface = interfaces.count
        sectionComments.append(comments.joined(separator: "\n"))
    }

    private func readInterfaceDescription(length: Int, at offset: Int) throws {
        var interface = CaptureInterface(
            linkType: LinkType(rawValue: UInt32(input.uint16(8, bigEndian: bigEndian))),
            snapLength: Int(input.uint32(12, bigEndian: bigEndian)), sectionIndex: sectionIndex,
            indexInSection: interfaces.count - sectionFirstInterface)
        try visitOptions(from: 16, to: length - 4, blockOffset: offset) { code, start, count in
            switch code {
            case 2: interface.name = self.optionString(start, count)  // if_name
            case 3: interface.description = self.optionString(start, count)  // if_description
            case 9 where count >= 1:  // if_tsresol
                interface.timestampResolution = TimestampResolution(rawValue: self.input.byte(start))
            case 14 where count >= 8:  // if_tsoffset, signed seconds
                let high = UInt64(self.input.uint32(start, bigEndian: self.bigEndian))
                let low = UInt64(self.input.uint32(start + 4, bigEndian: self.bigEndian))
                let value = self.bigEndian ? high << 32 | low : low << 32 | high
                interface.timestampOffsetSeconds = Int64(bitPattern: value)
            default: break
            }
        }
        interfaces.append(interface)
    }

    /// An EPB or obsolete PB as a record.
    private func readPacketBlock(type: UInt32, length: Int, at offset: Int) throws -> PacketRecord {
        let interfaceID: Int
        if type == BlockType.enhancedPacket {
            interfaceID = Int(input.uint32(8, bigEndian: bigEndian))
        } else {
            interfaceID = Int(input.uint16(8, bigEndian: bigEndian))
        }
        let interface = try sectionInterface(interfaceID, at: offset)
        let high = UInt64(input.uint32(12, bigEndian: bigEndian))
        let low = UInt64(input.uint32(16, bigEndian: bigEndian))
        let capturedLength = Int(input.uint32(20, bigEndian: bigEndian))
        let originalLength = Int(input.uint32(24, bigEndian: bigEndian))
        let room = length - 32
        guard capturedLength <= room else {
            throw fail(
                at: offset, expected: "a captured length of at most \(room)", found: "\(capturedLength)",
                "captured length \(capturedLength) does not fit in a block of length \(length)")
        }
        var comments: [String] = []
        let optionsStart = min(28 + (capturedLength + 3) & ~3, length - 4)
        if optionsStart < length - 4 {
            try visitOptions(from: optionsStart, to: length - 4, blockOffset: offset) { code, start, count in
                if code == 1 { comments.append(self.optionString(start, count)) }
            }
        }
        framesReturned += 1
        return PacketRecord(
            timestamp: timestamp(high << 32 | low, interface), interfaceIndex: interfaceID,
            linkType: interface.linkType, originalLength: originalLength,
            data: input.slice(28, count: capturedLength), comments: comments, fileOffset: offset,
            frameNumber: framesReturned)
    }

    /// An SPB: interface 0, no timestamp, captured length from the block and the interface's snaplen.
    private func readSimplePacket(length: Int, at offset: Int) throws -> PacketRecord {
        let interface = try sectionInterface(0, at: offset)
        let originalLength = Int(input.uint32(8, bigEndian: bigEndian))
        var capturedLength = min(originalLength, length - 16)
        if interface.snapLength > 0 { capturedLength = min(capturedLength, interface.snapLength) }
        framesReturned += 1
        return PacketRecord(
            timestamp: Timestamp(nanoseconds: 0), interfaceIndex: 0, linkType: interface.linkType,
            originalLength: originalLength, data: input.slice(12, count: capturedLength), fileOffset: offset,
            frameNumber: framesReturned)
    }

    private func sectionInterface(_ id: Int, at offset: Int) throws -> CaptureInterface {
        let defined = interfaces.count - sectionFirstInterface
        guard id < defined else {
            throw fail(
                at: offset, expected: "an interface id below \(defined)", found: "\(id)",
                "packet refers to interface \(id), but the section defines \(defined) interface(s)")
        }
        return interfaces[sectionFirstInterface + id]
    }

    private func timestamp(_ units: UInt64, _ interface: CaptureInterface) -> Timestamp {
        let nanoseconds = interface.timestampResolution.nanoseconds(fromUnits: units)
        return Timestamp(nanoseconds: nanoseconds &+ interface.timestampOffsetSeconds &* 1_000_000_000)
    }

    /// Calls `body(code, valueStart, valueLength)` for each option in `[from, to)` of the current block,
    /// stopping at `opt_endofopt`. Values are padded to 4 bytes; an option running past `to` is an error.
    private func visitOptions(
        from: Int, to: Int, blockOffset: Int, _ body: (UInt16, Int, Int) throws -> Void
    ) throws {
        var index = from
        while index + 4 <= to {
            let code = input.uint16(index, bigEndian: bigEndian)
            let count = Int(input.uint16(index + 2, bigEndian: bigEndian))
            if code == 0 { return }  // opt_endofopt
            let padded = (count + 3) & ~3
            guard index + 4 + count <= to else {
                throw fail(
                    at: blockOffset + index, expected: "an option within its block",
                    found: "option \(code) of length \(count)",
                    "option \(code) of length \(count) runs past the end of its block")
            }
            try body(code, index + 4, count)
            index += 4 + padded
        }
    }

    /// An option's UTF-8 text without trailing NULs (some writers include one).
    private func optionString(_ start: Int, _ count: Int) -> String {
        var end = count
        while end > 0 && input.byte(start + end - 1) == 0 { end -= 1 }
        return String(decoding: input.slice(start, count: end), as: UTF8.self)
    }
}
