#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A window onto a file descriptor read with read(2) into one reusable buffer: the reader asks that `count`
/// bytes be available at the window's start, parses them in place, and consumes them.
///
/// The buffer starts at `initialCapacity` (or the size of a smaller regular file) and grows only when one block
/// is larger (up to `maximumCapacity`).
/// Slices handed out keep the old storage alive; the next refill then works on a fresh copy (copy-on-write),
/// so a slice never changes under its holder.
struct CaptureInput {
    static let initialCapacity = 1 << 20
    static let maximumCapacity = 256 << 20

    let fileDescriptor: Int32
    /// The bytes read; `buffer[start..<end]` are not consumed yet.
    private(set) var buffer: [UInt8]
    private(set) var start = 0
    private(set) var end = 0
    /// File offset of `buffer[0]`.
    private var bufferOffset = 0
    /// Whether read(2) has returned 0.
    private(set) var reachedEOF = false

    init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
        self.buffer = CaptureInput.unfilledBuffer(count: CaptureInput.startingCapacity(for: fileDescriptor))
    }

    /// A window onto bytes already in memory: all of them are available, and the end of them is the end of file.
    init(bytes: [UInt8]) {
        self.fileDescriptor = -1
        self.buffer = bytes
        self.end = bytes.count
        self.reachedEOF = true
    }

    /// `initialCapacity`, or less for a regular file smaller than that: opening a 2 kB capture should not
    /// allocate and fault in a megabyte (the fuzzers open thousands per second).
    private static func startingCapacity(for fileDescriptor: Int32) -> Int {
        var status = stat()
        guard fstat(fileDescriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return initialCapacity }
        return min(initialCapacity, max(Int(status.st_size), 4096))
    }

    /// A buffer of `count` bytes that read(2) fills before anything reads them, so it is not zeroed first.
    private static func unfilledBuffer(count: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { _, initializedCount in initializedCount = count }
    }

    /// File offset of the first unconsumed byte.
    var position: Int { bufferOffset &+ start }
    /// Bytes read from the file so far.
    var bytesRead: Int { bufferOffset &+ end }
    /// Unconsumed bytes in the buffer.
    var available: Int { end - start }

    /// Makes `count` bytes available at `start`, reading as needed. Returns `false` at end of file with fewer
    /// (then `available` says how many there are). Throws the errno of a failed read(2) as its number.
    mutating func require(_ count: Int) throws(CaptureInputFailure) -> Bool {
        if end - start >= count { return true }
        if count > CaptureInput.maximumCapacity { throw .tooLarge }
        if reachedEOF { return false }
        if start + count > buffer.count {
            // Move the unconsumed tail to the front, growing only for one block larger than the buffer.
            let pending = end - start
            let capacity = max(buffer.count, count)
            if capacity > buffer.count {
                var grown = CaptureInput.unfilledBuffer(count: capacity)
                grown.replaceSubrange(0..<pending, with: buffer[start..<end])
                buffer = grown
            } else if pending > 0 {
                let from = start
                buffer.withUnsafeMutableBufferPointer { bytes in
                    guard let base = bytes.baseAddress else { return }
                    memmove(base, base + from, pending)
                }
            }
            bufferOffset &+= start
            start = 0
            end = pending
        }
        while end - start < count {
            let room = buffer.count - end
            let filled = end
            let got = buffer.withUnsafeMutableBufferPointer { bytes -> Int in
                guard let base = bytes.baseAddress else { return 0 }
                return read(fileDescriptor, base + filled, room)
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw .readFailed(errno)
            }
            if got == 0 {
                reachedEOF = true
                return false
            }
            end += got
        }
        return true
    }

    /// Marks `count` available bytes as consumed.
    mutating func consume(_ count: Int) {
        start += min(count, end - start)
    }

    /// The byte at `start + index` (caller made it available).
    @inline(__always) func byte(_ index: Int) -> UInt8 { buffer[start + index] }

    /// A 16-bit value at `start + index`, big- or little-endian.
    @inline(__always) func uint16(_ index: Int, bigEndian: Bool) -> UInt16 {
        let a = UInt16(buffer[start + index])
        let b = UInt16(buffer[start + index + 1])
        return bigEndian ? a << 8 | b : b << 8 | a
    }

    /// A 32-bit value at `start + index`, big- or little-endian.
    @inline(__always) func uint32(_ index: Int, bigEndian: Bool) -> UInt32 {
        let i = start + index
        let a = UInt32(buffer[i])
        let b = UInt32(buffer[i + 1])
        let c = UInt32(buffer[i + 2])
        let d = UInt32(buffer[i + 3])
        return bigEndian ? a << 24 | b << 16 | c << 8 | d : d << 24 | c << 16 | b << 8 | a
    }

    /// A slice of `count` bytes at `start + index`, sharing the buffer.
    @inline(__always) func slice(_ index: Int, count: Int) -> ArraySlice<UInt8> {
        buffer[(start + index)..<(start + index + count)]
    }
}

/// Why `CaptureInput.require` failed, before the reader turns it into a `CaptureFileError`.
enum CaptureInputFailure: Error {
    case readFailed(Int32)
    case tooLarge
}
