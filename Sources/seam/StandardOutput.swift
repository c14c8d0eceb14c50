#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Buffered writes to standard output or a file (text or raw bytes), flushed at the end or when the buffer
/// fills. A failed write is kept in `writeError` (errno); later writes are dropped.
final class StandardOutput {
    nonisolated(unsafe) static let shared = StandardOutput()
    let fileDescriptor: Int32
    private var buffer: [UInt8] = []
    private(set) var writeError: Int32?

    init(fileDescriptor: Int32 = 1) {
        self.fileDescriptor = fileDescriptor
        buffer.reserveCapacity(1 << 16)
    }

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    func write<Bytes: Collection<UInt8>>(bytes: Bytes) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        var offset = 0
        buffer.withUnsafeBytes { raw in
            while offset < raw.count {
                guard writeError == nil else { return }
                let n = Glibc.write(fileDescriptor, raw.baseAddress! + offset, raw.count - offset)
                if n <= 0 {
                    if n < 0 && errno == EINTR { continue }
                    writeError = n < 0 ? errno : EIO
                    return
                }
                offset += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Whether standard error is a terminal (for progress bars).
    static var stderrIsTerminal: Bool { isatty(2) == 1 }
    static var stdoutIsTerminal: Bool { isatty(1) == 1 }
}

/// A progress bar on standard error for long reads, drawn only on a terminal.
struct ProgressBar {
    let total: Int

    func update(_ done: Int) {
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 0
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
        FileHandleStderr.write("\r[\(bar)] \(Int(fraction * 100))% \(done >> 20) MiB")
    }

    func finish() { FileHandleStderr.write("\r" + String(repeating: " ", count: 50) + "\r") }
}
