import SeamCore
import NIOCore

/// A `RecvByteBufferAllocator` whose buffers offer exactly `size` writable bytes, so every read the
/// channel makes is a `recv(fd, buf, size)`: the receiver emulation of `--recv-size`.
///
/// The allocator may hand out more capacity than asked; the surplus is skipped (reader and writer index
/// moved past it) so the socket read still asks for `size` bytes at most. NIO's channels reuse a read buffer
/// nobody else holds, after `clear()`, which would undo that skip (a `recv(7)` becoming a `recv(8)`), so this
/// allocator asks for a fresh buffer every read: no size hint for the pool, and "may grow" after every read.
public struct ExactReadSizeAllocator: RecvByteBufferAllocator {
    /// The most bytes one read asks for.
    public let size: Int

    public init(size: Int) {
        precondition(size > 0, "read size must be positive")
        self.size = size
    }

    public func buffer(allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: size)
        let surplus = buffer.writableBytes - size
        if surplus > 0 {
            buffer.moveWriterIndex(forwardBy: surplus)
            buffer.moveReaderIndex(forwardBy: surplus)
        }
        return buffer
    }

    public func nextBufferSize() -> Int? { nil }

    public mutating func record(actualReadBytes: Int) -> Bool { true }
}
