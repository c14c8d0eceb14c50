#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a pcap or pcapng file packet by packet, in bounded memory.
///
/// The format is sniffed from the magic number. The file is read with read(2) into one reusable buffer
/// (1 MiB, grown only for a single larger block, at most 256 MiB), so a 10 GB file needs no more memory than
/// its largest block. `next()` returns packets in file order with 1-based frame numbers, as Wireshark counts.
///
/// A fault in the file throws a `CaptureFileError` that names the file, the byte offset and what was
/// expected there; every packet returned before stays valid, and later calls throw the same error again.
/// Nothing in the file can make the reader trap: every length is checked before it is used.
///
/// Not thread-safe: one reader belongs to one task at a time.
/// Hot stored properties are `@exclusivity(unchecked)`: a reader belongs to one thread and calls nothing
/// from inside a mutation of them, so the runtime exclusivity checks only cost time (with the other classes'
/// checks, a fifth of a scan's instructions).
public final class CaptureFileReader {
    /// The file name as given (`-` for standard input).
    public let path: String
    /// pcap or pcapng, from the magic number.
    public let format: CaptureFormat
    /// Interfaces seen so far, in file order over all sections (pcap: exactly one). A pcapng interface is
    /// added when its IDB is read, so this list grows while `next()` runs.
    public internal(set) var interfaces: [CaptureInterface] = []
    /// One entry per pcapng section seen so far, in order: its SHB `opt_comment`s joined by a newline, or
    /// the empty string when it has none (pcap: empty).
    public internal(set) var sectionComments: [String] = []
    /// Packets each interface lost, from pcapng interface statistics blocks (`isb_ifdrop`), by interface index.
    public internal(set) var interfaceDrops: [Int: UInt64] = [:]
    /// The file's size when it is a regular file; `nil` for standard input, pipes and devices.
    public let fileSize: Int?
    /// Bytes read from the file so far (for a progress bar against `fileSize`).
    public var bytesRead: Int { input.bytesRead }

    @exclusivity(unchecked) var input: CaptureInput
    let ownsDescriptor: Bool
    /// Number of packets returned so far.
    @exclusivity(unchecked) var framesReturned = 0
    /// The error that stopped reading; thrown again by every later `next()`.
    @exclusivity(unchecked) var failure: CaptureFileError?
    /// Byte order of the pcap file or of the current pcapng section.
    var bigEndian = false
    /// Index in `interfaces` of the current pcapng section's interface 0.
    var sectionFirstInterface = 0
    /// Whether a pcapng section header has been read.
    var sectionIndex = -1

    /// Opens `path` (`-`: standard input, like `tcpdump -r -`) and reads its header.
    public convenience init(path: String) throws {
        if path == "-" {
            try self.init(fileDescriptor: 0, name: path, closeOnDeinit: false)
            return
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let reason = CaptureFileReader.errorText(errno)
            throw CaptureFileError(
                file: path, offset: nil, expected: "a readable file", found: reason,
                message: "cannot open: \(reason)")
        }
        try self.init(fileDescriptor: descriptor, name: path, closeOnDeinit: true)
    }

    /// Reads a capture from an open descriptor (a pipe, a socket, stdin), named `name` in errors.
    /// With `closeOnDeinit` the reader closes the descriptor when it goes away.
    public convenience init(fileDescriptor: Int32, name: String, closeOnDeinit: Bool = false) throws {
        var status = stat()
        let isFile = fstat(fileDescriptor, &status) == 0 && status.st_mode & S_IFMT == S_IFREG
        try self.init(
            input: CaptureInput(fileDescriptor: fileDescriptor), name: name, fileSize: isFile ? Int(status.st_size) : nil,
            closeOnDeinit: closeOnDeinit)
    }

    /// Reads a capture held in memory (a test's bytes, a fuzzer's input), named `name` in errors.
    public convenience init(bytes: [UInt8], name: String) throws {
        try self.init(input: CaptureInput(bytes: bytes), name: name, fileSize: bytes.count, closeOnDeinit: false)
    }

    /// Reads what `source` names.
    public convenience init(source: CaptureSource) throws {
        switch source {
        case .path(let path): try self.init(path: path)
        case .bytes(let bytes, let name): try self.init(bytes: bytes, name: name)
        }
    }

    private init(input opened: CaptureInput, name: String, fileSize: Int?, closeOnDeinit: Bool) throws {
        let fileDescriptor = opened.fileDescriptor
        self.path = name
        self.input = opened
        self.ownsDescriptor = closeOnDeinit
        self.fileSize = fileSize
        // Until every stored property is set, a throw skips deinit, so the descriptor is closed here; after
        // that (the header reads below), deinit closes it.
        let magic: UInt32
        do {
            magic = try CaptureFileReader.sniff(&input, name: name)
        } catch {
            if closeOnDeinit { _ = close(fileDescriptor) }
            throw error
        }
        switch magic {
        case 0x0A0D_0D0A:
            format = .pcapng
            // Read the first section header and interfaces now, so they are known before the first packet.
            _ = try nextPcapngPacket(stopBeforePacket: true)
        case 0xA1B2_C3D4, 0xA1B2_3C4D, 0xD4C3_B2A1, 0x4D3C_B2A1:
            format = .pcap
            try readPcapHeader(magic: magic)
        default:
            if closeOnDeinit { _ = close(fileDescriptor) }
            throw CaptureFileError(
                file: name, offset: 0, expected: "a pcap or pcapng magic number", found: "0x\(hex8(magic))",
                message: "not a pcap or pcapng file (magic 0x\(hex8(magic)))")
        }
    }

    deinit {
        if ownsDescriptor { _ = close(input.fileDescriptor) }
    }

    /// The next packet, or `nil` at a clean end of file.
    ///
    /// Throws a `CaptureFileError` for a damaged or cut-short file after all complete packets before the
    /// damage were returned. The record's `data` is a slice of the reader's buffer (see `PacketRecord`).
    public func next() throws -> PacketRecord? {
        if let failure { throw failure }
        do {
            let record: PacketRecord?
            switch format {
            case .pcap: record = try nextPcapRecord()
            case .pcapng: record = try nextPcapngPacket()
            }
            return record
        } catch let error as CaptureFileError {
            failure = error
            throw error
        }
    }

    // MARK: helpers shared by both formats

    static func sniff(_ input: inout CaptureInput, name: String) throws -> UInt32 {
        let complete = try require(&input, 4, name: name)
        guard complete else {
            let found = input.available == 0 ? "an empty file" : "a file of \(input.available) bytes"
            throw CaptureFileError(
                file: name, offset: 0, expected: "a pcap or pcapng magic number", found: found,
                message: "not a pcap or pcapng file (\(found))")
        }
        return input.uint32(0, bigEndian: true)
    }

    /// `input.require` with its failures turned into file errors.
    static func require(_ input: inout CaptureInput, _ count: Int, name: String) throws -> Bool {
        do {
            return try input.require(count)
        } catch .readFailed(let code) {
            let reason = errorText(code)
            throw CaptureFileError(
                file: name, offset: input.bytesRead, expected: "readable data", found: reason,
                message: "read failed: \(reason)")
        } catch .tooLarge {
            throw CaptureFileError(
                file: name, offset: input.position, expected: "a record of at most 256 MiB",
                found: "\(count) bytes", message: "record of \(count) bytes is larger than 256 MiB")
        }
    }

    func require(_ count: Int) throws -> Bool {
        try CaptureFileReader.require(&input, count, name: path)
    }

    /// `require` for a whole record or block starting at `offset`. When the record is larger than the
    /// buffer and the file's size shows it cannot be complete, answers `false` without growing the buffer,
    /// so a damaged length never allocates more than the file could hold.
    func requireRecord(_ count: Int, at offset: Int) throws -> Bool {
        if count > input.buffer.count, let fileSize, offset + count > fileSize { return false }
        return try require(count)
    }

    func fail(at offset: Int, expected: String, found: String, _ message: String) -> CaptureFileError {
        CaptureFileError(file: path, offset: offset, expected: expected, found: found, message: message)
    }

    /// The thrown error for a block or record that the file ends in the middle of.
    func cutShort(_ what: String, at offset: Int, needs: Int, skippingHeader header: Int = 0) -> CaptureFileError {
        let end = max(fileSize ?? 0, input.bytesRead)  // the file's end: known size, or where reading stopped
        let have = max(0, end - offset - header)
        return fail(
            at: offset, expected: "\(needs) bytes", found: "\(have) bytes",
            "\(what) at byte \(offset) is cut short: header says \(needs) bytes, file ends after \(have)")
    }

    static func errorText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}

/// `value` as 8 lowercase hex digits.
func hex8(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}

/// Not thread-safe: a CaptureFileReader belongs to one task or thread at a time, so it is explicitly not `Sendable`.
@available(*, unavailable)
extension CaptureFileReader: Sendable {}
