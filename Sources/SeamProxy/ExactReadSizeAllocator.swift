import SeamCore
import NIOCore

/// A `RecvByteBufferAllocator` whose buffers offer exactly `size` writable bytes, so every read the
/// channel makes is a `recv(fd, buf, size)`: the receiver emulation of `--recv-size`.
///
/// The allocator may hand out more capacity than asked; the surplus is skipped (reader and writer index
/// moved past it) so the socket read still asks for `size` bytes at most.
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

    public func nextBufferSize() -> Int? { size }

    public mutating func record(actualReadBytes: Int) -> Bool { false }
}
