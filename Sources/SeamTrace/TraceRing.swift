import Atomics
import SeamCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The consumer side of SeamPreload's shared ring (layout in `Sources/SeamPreload/include/seam_preload.h`):
/// a file in /dev/shm (mode 0600) that every traced process opens by its name, `path`, passed in
/// `SEAM_TRACE_RING`. One header page (magic, capacity, `reserve`, `read`, `dropped`), then `capacity` bytes of
/// entries, mapped twice in a row so an entry that wraps around the end reads as one piece.
///
/// The file is named `seam-trace-<pid>-XXXXXX` and removed by `remove()` (or `deinit`); files that a killed
/// `seam` left behind (their pid is gone) are removed when a new ring is made.
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
    /// /dev/shm (memory), or /tmp where there is none.
    static var directory: String { access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp" }
    static let prefix = "seam-trace-"

    /// The ring file's absolute path, for `SEAM_TRACE_RING`.
    let path: String
    let capacity: Int
    private let base: UnsafeMutableRawPointer
    private let data: UnsafeMutableRawPointer
    private let reserve: UnsafeAtomic<UInt64>
    private let read: UnsafeAtomic<UInt64>
    private let droppedCount: UnsafeAtomic<UInt64>
    private var removed = false
    /// When the entry at `read` was first seen pending (a producer between reserve and commit).
    private var pendingSince: Int64?

    /// Creates the ring file (mode 0600) with `capacity` bytes of entries (a multiple of 4096).
    init(capacity: Int = 16 << 20, directory: String = TraceRing.directory) throws {
        TraceRing.removeAbandoned(in: directory)
        var template = Array("\(directory)/\(TraceRing.prefix)\(getpid())-XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else {
            throw TraceError.channel("cannot create the ring file in \(directory): \(String(cString: strerror(errno)))")
        }
        let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { close(fd) }  // every process maps the file by its name; this descriptor is not needed after mmap
        guard fchmod(fd, 0o600) == 0, ftruncate(fd, off_t(TraceRing.headerSize + capacity)) == 0 else {
            unlink(path)
            throw TraceError.channel("cannot size the ring file: \(String(cString: strerror(errno)))")
        }
        let span = TraceRing.headerSize + 2 * capacity
        let failed = UnsafeMutableRawPointer(bitPattern: -1)
        guard let base = mmap(nil, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), base != failed,
            mmap(base, TraceRing.headerSize + capacity, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0)
                != failed,
            mmap(
                base + TraceRing.headerSize + capacity,
                capacity,
                PROT_READ | PROT_WRITE,
                MAP_SHARED | MAP_FIXED,
                fd,
                off_t(TraceRing.headerSize)
            ) != failed
        else {
            unlink(path)
            throw TraceError.channel("cannot map the ring: \(String(cString: strerror(errno)))")
        }
        self.path = path
        self.capacity = capacity
        self.base = base
        self.data = base + TraceRing.headerSize
        base.storeBytes(of: UInt64(capacity), toByteOffset: 8, as: UInt64.self)  // capacity
        func atomic(_ offset: Int) -> UnsafeAtomic<UInt64> {
            UnsafeAtomic(at: (base + offset).bindMemory(to: UInt64.AtomicRepresentation.self, capacity: 1))
        }
        reserve = atomic(64)  // reserve
        read = atomic(128)  // read
        droppedCount = atomic(192)  // dropped
        // The magic last: a process that opens the file before it is complete does not take it for a ring.
        atomic(0).store(TraceRing.magic, ordering: .releasing)  // magic
    }

    /// Removes the ring file: processes that start from now on are not traced (those that mapped it keep
    /// their mapping). Idempotent.
    func remove() {
        guard !removed else { return }
        removed = true
        unlink(path)
    }

    /// Removes `seam-trace-<pid>-*` files in `directory` whose pid no longer runs (a `seam` that was killed).
    static func removeAbandoned(in directory: String) {
        guard let folder = opendir(directory) else { return }
        defer { closedir(folder) }
        while let entry = readdir(folder) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name.hasPrefix(prefix), let pid = Int32(name.dropFirst(prefix.count).prefix { $0 != "-" }),
                pid != getpid(), kill(pid, 0) != 0, errno == ESRCH
            else { continue }
            unlink(directory + "/" + name)
        }
    }

    deinit {
        remove()
        munmap(base, TraceRing.headerSize + 2 * capacity)
    }

    /// Records producers dropped because the ring stayed full for a second.
    var dropped: UInt64 { droppedCount.load(ordering: .relaxed) }

    /// Bytes reserved by producers and not read yet (records left when reading stops).
    var unreadBytes: UInt64 { reserve.load(ordering: .acquiring) &- read.load(ordering: .relaxed) }

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
