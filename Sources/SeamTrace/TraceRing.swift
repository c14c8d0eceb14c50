import Atomics
import SeamCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The consumer side of SeamPreload's shared ring (layout in `Sources/SeamPreload/include/seam_preload.h`):
/// a file in /dev/shm, unlinked at once, whose descriptor the traced program inherits. One header page
/// (magic, capacity, `reserve`, `read`, `dropped`), then `capacity` bytes of entries, mapped twice in a row
/// so an entry that wraps around the end reads as one piece.
///
/// Producers reserve with a compare-and-swap on `reserve` and publish an entry by storing its header word
/// (length | committed) with release ordering; `next()` takes entries in order, zeroes them and advances
/// `read`. Not thread-safe: one consumer.
final class TraceRing {
    static let headerSize = 4096
    static let magic: UInt64 = 0x474E_4952_4D41_4553  // "SEAMRING"
    static let pending: UInt32 = 0x4000_0000
    static let committed: UInt32 = 0x8000_0000
    static let lengthMask: UInt32 = 0x3FFF_FFFF

    /// The descriptor to pass to the program (no FD_CLOEXEC is set here; the spawner decides).
    let fileDescriptor: Int32
    let capacity: Int
    private let base: UnsafeMutableRawPointer
    private let data: UnsafeMutableRawPointer
    private let reserve: UnsafeAtomic<UInt64>
    private let read: UnsafeAtomic<UInt64>
    private let droppedCount: UnsafeAtomic<UInt64>
    /// When the entry at `read` was first seen pending (a producer between reserve and commit).
    private var pendingSince: Int64?

    /// Creates the ring file (mode 0600, unlinked) with `capacity` bytes of entries (a multiple of 4096).
    init(capacity: Int = 16 << 20) throws {
        var template = Array("/dev/shm/seam-trace-XXXXXX".utf8CString)
        var fd = mkstemp(&template)
        if fd < 0 {
            template = Array("/tmp/seam-trace-XXXXXX".utf8CString)
            fd = mkstemp(&template)
        }
        guard fd >= 0 else {
            throw TraceError.channel("cannot create the ring file: \(String(cString: strerror(errno)))")
        }
        unlink(template)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        guard ftruncate(fd, off_t(TraceRing.headerSize + capacity)) == 0 else {
            close(fd)
            throw TraceError.channel("cannot size the ring file: \(String(cString: strerror(errno)))")
        }
        let span = TraceRing.headerSize + 2 * capacity
        let failed = UnsafeMutableRawPointer(bitPattern: -1)
        guard let base = mmap(nil, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), base != failed,
            mmap(base, TraceRing.headerSize + capacity, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0)
                != failed,
            mmap(
                base + TraceRing.headerSize + capacity, capacity, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd,
                off_t(TraceRing.headerSize)) != failed
        else {
            close(fd)
            throw TraceError.channel("cannot map the ring: \(String(cString: strerror(errno)))")
        }
        self.fileDescriptor = fd
        self.capacity = capacity
        self.base = base
        self.data = base + TraceRing.headerSize
        base.storeBytes(of: TraceRing.magic, toByteOffset: 0, as: UInt64.self)  // magic
        base.storeBytes(of: UInt64(capacity), toByteOffset: 8, as: UInt64.self)  // capacity
        func atomic(_ offset: Int) -> UnsafeAtomic<UInt64> {
            UnsafeAtomic(at: (base + offset).bindMemory(to: UInt64.AtomicRepresentation.self, capacity: 1))
        }
        reserve = atomic(64)  // reserve
        read = atomic(128)  // read
        droppedCount = atomic(192)  // dropped
    }

    deinit {
        munmap(base, TraceRing.headerSize + 2 * capacity)
        close(fileDescriptor)
    }

    /// Records producers dropped because the ring stayed full for a second.
    var dropped: UInt64 { droppedCount.load(ordering: .relaxed) }

    /// Whether nothing is reserved beyond what was read.
    var isEmpty: Bool { reserve.load(ordering: .acquiring) == read.load(ordering: .relaxed) }

    /// The next committed message (record + payload), or `nil` when none is ready. An entry left pending
    /// for more than `abandonAfter` nanoseconds (its producer was killed mid-write) is skipped.
    func next(abandonAfter: Int64 = 1_000_000_000) -> ArraySlice<UInt8>? {
        let position = read.load(ordering: .relaxed)
        guard reserve.load(ordering: .acquiring) != position else { return nil }
        let entry = data + Int(position % UInt64(capacity))
        let word = UnsafeAtomic<UInt32>(at: entry.bindMemory(to: UInt32.AtomicRepresentation.self, capacity: 1))
        let header = word.load(ordering: .acquiring)
        let length = Int(header & TraceRing.lengthMask)
        let total = (4 + length + 7) & ~7
        if header & TraceRing.committed != 0 {
            let message = Array(UnsafeRawBufferPointer(start: entry + 4, count: length))[...]
            consume(entry, total: total, at: position)
            return message
        }
        if header & TraceRing.pending != 0 {
            let now = Timestamp.nowNanoseconds()
            if let since = pendingSince, now - since > abandonAfter {
                consume(entry, total: total, at: position)
                return ArraySlice()  // an abandoned entry: not a record
            }
            if pendingSince == nil { pendingSince = now }
        }
        return nil
    }

    private func consume(_ entry: UnsafeMutableRawPointer, total: Int, at position: UInt64) {
        memset(entry, 0, total)
        pendingSince = nil
        read.store(position + UInt64(total), ordering: .releasing)
    }
}

extension Timestamp {
    static func nowNanoseconds() -> Int64 { Timestamp.now().nanoseconds }
}
