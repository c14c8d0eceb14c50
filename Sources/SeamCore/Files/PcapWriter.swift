/// Writes a classic pcap file: one link type, nanosecond timestamps by default (magic `a1b23c4d`) or
/// microseconds (`a1b2c3d4`).
///
/// Written little-endian (the magic tells readers the order; it is the host order of every host Seam runs
/// on). Buffered like `PcapngWriter`: whole records, written when more than 1 MiB is pending and on
/// `flush()` / `close()`. The file is created with mode 0600.
///
/// Not thread-safe: callers serialise all calls.
public final class PcapWriter {
    var output: CaptureOutput
    /// The file's link type.
    public let linkType: LinkType
    /// Packets are cut to this many bytes (0: no limit).
    public let snapLength: Int
    /// Whether timestamps are nanoseconds (else microseconds).
    public let nanosecondResolution: Bool

    /// Creates (or truncates) `path` with mode 0600 and writes the file header.
    public convenience init(
        path: String, linkType: LinkType, snapLength: Int = 262_144, nanosecondResolution: Bool = true
    ) throws {
        try self.init(
            output: CaptureOutput.create(path: path), linkType: linkType, snapLength: snapLength,
            nanosecondResolution: nanosecondResolution)
    }

    /// Writes to an open descriptor (e.g. 1 for stdout), which `close()` leaves open.
    public convenience init(
        fileDescriptor: Int32, name: String = "-", linkType: LinkType, snapLength: Int = 262_144,
        nanosecondResolution: Bool = true
    ) throws {
        try self.init(
            output: CaptureOutput(name: name, fileDescriptor: fileDescriptor, ownsDescriptor: false),
            linkType: linkType, snapLength: snapLength, nanosecondResolution: nanosecondResolution)
    }

    init(output: CaptureOutput, linkType: LinkType, snapLength: Int, nanosecondResolution: Bool) throws {
        self.output = output
        self.linkType = linkType
        self.snapLength = max(0, min(snapLength, Int(UInt32.max)))
        self.nanosecondResolution = nanosecondResolution
        let magic: UInt32 = nanosecondResolution ? 0xA1B2_3C4D : 0xA1B2_C3D4
        self.output.pending.appendLittleEndian(magic)  // magic_number
        self.output.pending.appendLittleEndian(UInt16(2))  // version_major
        self.output.pending.appendLittleEndian(UInt16(4))  // version_minor
        self.output.pending.appendLittleEndian(UInt32(0))  // thiszone (reserved, 0)
        self.output.pending.appendLittleEndian(UInt32(0))  // sigfigs (reserved, 0)
        self.output.pending.appendLittleEndian(UInt32(self.snapLength))  // snaplen
        self.output.pending.appendLittleEndian(linkType.rawValue & 0xFFFF)  // network (LinkType, no FCS info)
    }

    deinit {
        try? output.close()
    }

    /// Writes one record; bytes beyond `snapLength` are cut, `originalLength` defaults to `data.count`.
    public func writePacket(timestamp: Timestamp, data: some Collection<UInt8>, originalLength: Int? = nil) throws {
        try output.checkOpen()
        let captured = snapLength > 0 ? min(data.count, snapLength) : data.count
        guard captured <= CaptureInput.maximumCapacity - 16 else {
            throw CaptureFileError(
                file: output.name, offset: nil, expected: "a packet of at most 256 MiB", found: "\(captured) bytes",
                message: "packet of \(captured) bytes is too large to write")
        }
        let fraction = nanosecondResolution ? timestamp.subsecondNanoseconds : timestamp.subsecondNanoseconds / 1_000
        output.pending.appendLittleEndian(UInt32(truncatingIfNeeded: timestamp.seconds))  // ts_sec
        output.pending.appendLittleEndian(UInt32(truncatingIfNeeded: fraction))  // ts_usec or ts_nsec
        output.pending.appendLittleEndian(UInt32(captured))  // incl_len
        output.pending.appendLittleEndian(UInt32(clamping: max(0, originalLength ?? data.count)))  // orig_len
        output.pending.append(contentsOf: data.prefix(captured))  // packet data
        try output.blockAppended()
    }

    /// Writes every pending record to the file.
    public func flush() throws {
        try output.flush()
    }

    /// Flushes and closes the file (a descriptor passed in stays open). Further writes throw.
    public func close() throws {
        try output.close()
    }
}

/// Not thread-safe: a PcapWriter belongs to one task or thread at a time, so it is explicitly not `Sendable`.
@available(*, unavailable)
extension PcapWriter: Sendable {}
