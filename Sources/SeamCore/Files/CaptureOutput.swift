#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The buffered file end of the capture writers: whole blocks are appended to `pending`, and `pending` is
/// written with write(2) once it holds more than `flushThreshold` bytes and on `flush()`. Writes happen only
/// between blocks, so after each completed write(2) the file ends at a block boundary.
struct CaptureOutput {
    /// 1 MiB: few, large write(2) calls however small the records (a session writes one record per socket call).
    static let flushThreshold = 1 << 20

    /// The name used in errors (the path, or what the caller called the descriptor).
    let name: String
    let fileDescriptor: Int32
    let ownsDescriptor: Bool
    /// Encoded blocks not yet written.
    var pending: [UInt8] = []
    var isClosed = false

    init(name: String, fileDescriptor: Int32, ownsDescriptor: Bool) {
        self.name = name
        self.fileDescriptor = fileDescriptor
        self.ownsDescriptor = ownsDescriptor
        pending.reserveCapacity(CaptureOutput.flushThreshold * 2)
    }

    /// Creates `path` with mode 0600 (it may hold payload), truncating an existing file.
    static func create(path: String) throws -> CaptureOutput {
        let descriptor = open(path, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let reason = CaptureFileReader.errorText(errno)
            throw CaptureFileError(
                file: path, offset: nil, expected: "a writable path", found: reason,
                message: "cannot create: \(reason)")
        }
        return CaptureOutput(name: path, fileDescriptor: descriptor, ownsDescriptor: true)
    }

    func checkOpen() throws {
        guard !isClosed else {
            throw CaptureFileError(
                file: name, offset: nil, expected: "an open writer", found: "a closed writer",
                message: "write after close")
        }
    }

    /// Call after appending one whole block: writes out when the buffer is full enough.
    mutating func blockAppended() throws {
        if pending.count >= CaptureOutput.flushThreshold { try flush() }
    }

    /// Writes every pending byte, retrying short writes and EINTR.
    mutating func flush() throws {
        try checkOpen()
        var written = 0
        let total = pending.count
        while written < total {
            let done = written
            let result = pending.withUnsafeBytes { bytes -> Int in
                guard let base = bytes.baseAddress else { return 0 }
                return write(fileDescriptor, base + done, total - done)
            }
            if result < 0 {
                if errno == EINTR { continue }
                let reason = CaptureFileReader.errorText(errno)
                pending.removeFirst(written)
                throw CaptureFileError(
                    file: name, offset: nil, expected: "a successful write", found: reason,
                    message: "write failed: \(reason)")
            }
            written += result
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// Flushes, then closes the descriptor if the writer opened it. Idempotent.
    mutating func close() throws {
        if isClosed { return }
        defer {
            isClosed = true
            if ownsDescriptor { closeDescriptor(fileDescriptor) }
        }
        try flush()
    }
}

/// close(2), reachable from types that have a `close()` of their own.
func closeDescriptor(_ descriptor: Int32) {
    _ = close(descriptor)
}

extension Array where Element == UInt8 {
    /// Appends `value` in little-endian byte order.
    mutating func appendLittleEndian(_ value: UInt16) {
        append(UInt8(truncatingIfNeeded: value))
        append(UInt8(truncatingIfNeeded: value >> 8))
    }

    /// Appends `value` in little-endian byte order.
    mutating func appendLittleEndian(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    /// Appends `value` in little-endian byte order.
    mutating func appendLittleEndian(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    /// Appends zero bytes until `count` is a multiple of 4.
    mutating func padToFour() {
        while count % 4 != 0 { append(0) }
    }
}
