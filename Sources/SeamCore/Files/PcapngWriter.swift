/// Writes a pcapng file: one section (SHB), interfaces (IDBs), packets (EPBs) and interface statistics (ISBs).
///
/// Blocks are written little-endian: pcapng lets a writer use its host's byte order (readers follow the SHB's
/// byte-order magic), and every host Seam runs on is little-endian, so the file is in host order too.
/// Timestamps are nanoseconds (`if_tsresol` = 9 on every interface).
///
/// Blocks are collected in memory and written with write(2) whenever more than 1 MiB is pending and on
/// `flush()` / `close()`, always whole blocks: after any write the file ends at a block boundary, so a crash
/// loses at most the unflushed blocks. The file is created with mode 0600, as it may hold payload.
///
/// Not thread-safe: callers serialise all calls (one writer per task, or a lock around it).
public final class PcapngWriter {
    var output: CaptureOutput
    /// Link type and snaplen of each interface added, by index.
    private(set) var interfaces: [(linkType: LinkType, snapLength: Int)] = []

    /// Creates (or truncates) `path` with mode 0600 and writes the section header.
    public convenience init(path: String, sectionComment: String?, application: String = "seam") throws {
        try self.init(
            output: CaptureOutput.create(path: path), sectionComment: sectionComment, application: application)
    }

    /// Writes to an open descriptor (e.g. 1 for stdout), which `close()` leaves open.
    public convenience init(
        fileDescriptor: Int32, name: String = "-", sectionComment: String?, application: String = "seam"
    ) throws {
        try self.init(
            output: CaptureOutput(name: name, fileDescriptor: fileDescriptor, ownsDescriptor: false),
            sectionComment: sectionComment, application: application)
    }

    init(output: CaptureOutput, sectionComment: String?, application: String) throws {
        self.output = output
        var options = PcapngOptions()
        if let sectionComment { try options.add(code: 1, string: sectionComment, name: output.name) }  // opt_comment
        try options.add(code: 4, string: application, name: output.name)  // shb_userappl
        let total = 28 + options.encodedLength
        var block = [UInt8]()
        block.appendLittleEndian(UInt32(0x0A0D_0D0A))  // Block Type = Section Header Block
        block.appendLittleEndian(UInt32(total))  // Block Total Length
        block.appendLittleEndian(UInt32(0x1A2B_3C4D))  // Byte-Order Magic
        block.appendLittleEndian(UInt16(1))  // Major Version
        block.appendLittleEndian(UInt16(0))  // Minor Version
        block.appendLittleEndian(UInt64.max)  // Section Length: -1, not specified
        options.emit(into: &block)  // Options
        block.appendLittleEndian(UInt32(total))  // Block Total Length
        self.output.pending.append(contentsOf: block)
    }

    deinit {
        try? output.close()
    }

    /// Adds an interface (IDB) with nanosecond timestamps and returns its index for `writePacket`.
    @discardableResult
    public func addInterface(
        linkType: LinkType, snapLength: Int = 262_144, name: String? = nil, description: String? = nil
    ) throws -> Int {
        try output.checkOpen()
        var options = PcapngOptions()
        if let name { try options.add(code: 2, string: name, name: output.name) }  // if_name
        if let description { try options.add(code: 3, string: description, name: output.name) }  // if_description
        options.add(code: 9, value: [9])  // if_tsresol: 10^-9
        let total = 20 + options.encodedLength
        let snap = UInt32(clamping: max(0, snapLength))
        output.pending.appendLittleEndian(UInt32(1))  // Block Type = Interface Description Block
        output.pending.appendLittleEndian(UInt32(total))  // Block Total Length
        output.pending.appendLittleEndian(UInt16(truncatingIfNeeded: linkType.rawValue))  // LinkType
        output.pending.appendLittleEndian(UInt16(0))  // Reserved
        output.pending.appendLittleEndian(snap)  // SnapLen
        options.emit(into: &output.pending)  // Options
        output.pending.appendLittleEndian(UInt32(total))  // Block Total Length
        interfaces.append((linkType, Int(snap)))
        try output.blockAppended()
        return interfaces.count - 1
    }

    /// Writes one packet (EPB) on `interface`. Bytes beyond the interface's snaplen are cut;
    /// `originalLength` defaults to `data.count`.
    public func writePacket(
        interface: Int, timestamp: Timestamp, data: some Collection<UInt8>, originalLength: Int? = nil,
        comment: String? = nil
    ) throws {
        try writePacket(
            interface: interface, timestamp: timestamp, head: data, tail: nil, originalLength: originalLength,
            comment: comment)
    }

    /// Writes one packet (EPB) whose data is `head` followed by `tail` (e.g. exported-PDU tags, then a payload
    /// read straight from where it lives), without joining them first.
    public func writePacket(
        interface: Int, timestamp: Timestamp, head: some Collection<UInt8>, tail: UnsafeRawBufferPointer?,
        originalLength: Int? = nil, comment: String? = nil
    ) throws {
        try output.checkOpen()
        let snapLength = try snapLength(of: interface)
        let length = head.count + (tail?.count ?? 0)
        let captured = snapLength > 0 ? min(length, snapLength) : length
        guard captured <= CaptureInput.maximumCapacity - 64 else {
            throw CaptureFileError(
                file: output.name, offset: nil, expected: "a packet of at most 256 MiB", found: "\(captured) bytes",
                message: "packet of \(captured) bytes is too large to write")
        }
        // The only option an EPB gets is the comment, encoded in place (no option list: this runs per record).
        let commentLength = comment?.utf8.count ?? 0
        guard commentLength <= Int(UInt16.max) else {
            throw CaptureFileError(
                file: output.name, offset: nil, expected: "an option of at most 65535 bytes",
                found: "\(commentLength) bytes", message: "option 1 of \(commentLength) bytes is longer than 65535")
        }
        let optionsLength = comment == nil ? 0 : 4 + (commentLength + 3) & ~3 + 4
        let total = 32 + (captured + 3) & ~3 + optionsLength
        let units = UInt64(bitPattern: timestamp.nanoseconds)
        output.pending.reserveCapacity(output.pending.count + total)
        output.pending.appendLittleEndian(UInt32(6))  // Block Type = Enhanced Packet Block
        output.pending.appendLittleEndian(UInt32(total))  // Block Total Length
        output.pending.appendLittleEndian(UInt32(interface))  // Interface ID
        output.pending.appendLittleEndian(UInt32(truncatingIfNeeded: units >> 32))  // Timestamp (Upper)
        output.pending.appendLittleEndian(UInt32(truncatingIfNeeded: units))  // Timestamp (Lower)
        output.pending.appendLittleEndian(UInt32(captured))  // Captured Packet Length
        output.pending.appendLittleEndian(UInt32(clamping: max(0, originalLength ?? length)))  // Original Length
        output.pending.append(contentsOf: head.prefix(captured))  // Packet Data
        if let tail, captured > head.count {
            output.pending.append(contentsOf: tail.prefix(captured - head.count))
        }
        output.pending.padToFour()
        if let comment {  // Options
            output.pending.appendLittleEndian(UInt16(1))  // opt_comment
            output.pending.appendLittleEndian(UInt16(commentLength))  // Option Length (without padding)
            output.pending.append(contentsOf: comment.utf8)  // Option Value
            output.pending.padToFour()
            output.pending.appendLittleEndian(UInt16(0))  // opt_endofopt
            output.pending.appendLittleEndian(UInt16(0))
        }
        output.pending.appendLittleEndian(UInt32(total))  // Block Total Length
        try output.blockAppended()
    }

    /// Writes an Interface Statistics Block: packets received and dropped on `interface` (`isb_ifrecv`,
    /// `isb_ifdrop`), each only when known.
    public func writeInterfaceStatistics(
        interface: Int, timestamp: Timestamp, received: UInt64?, dropped: UInt64?, comment: String? = nil
    ) throws {
        try output.checkOpen()
        _ = try snapLength(of: interface)
        var options = PcapngOptions()
        if let comment { try options.add(code: 1, string: comment, name: output.name) }  // opt_comment
        if let received { options.add(code: 4, uint64: received) }  // isb_ifrecv
        if let dropped { options.add(code: 5, uint64: dropped) }  // isb_ifdrop
        let total = 24 + options.encodedLength
        let units = UInt64(bitPattern: timestamp.nanoseconds)
        output.pending.appendLittleEndian(UInt32(5))  // Block Type = Interface Statistics Block
        output.pending.appendLittleEndian(UInt32(total))  // Block Total Length
        output.pending.appendLittleEndian(UInt32(interface))  // Interface ID
        output.pending.appendLittleEndian(UInt32(truncatingIfNeeded: units >> 32))  // Timestamp (Upper)
        output.pending.appendLittleEndian(UInt32(truncatingIfNeeded: units))  // Timestamp (Lower)
        options.emit(into: &output.pending)  // Options
        output.pending.appendLittleEndian(UInt32(total))  // Block Total Length
        try output.blockAppended()
    }

    /// Writes every pending block to the file.
    public func flush() throws {
        try output.flush()
    }

    /// Flushes and closes the file (a descriptor passed in stays open). Further writes throw.
    public func close() throws {
        try output.close()
    }

    private func snapLength(of interface: Int) throws -> Int {
        guard interface >= 0, interface < interfaces.count else {
            throw CaptureFileError(
                file: output.name, offset: nil, expected: "an interface below \(interfaces.count)",
                found: "interface \(interface)", message: "no interface \(interface) was added")
        }
        return interfaces[interface].snapLength
    }
}

/// Not thread-safe: a PcapngWriter belongs to one task or thread at a time, so it is explicitly not `Sendable`.
@available(*, unavailable)
extension PcapngWriter: Sendable {}
