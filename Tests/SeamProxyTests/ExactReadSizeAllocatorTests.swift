import NIOCore
import Testing

@testable import SeamProxy

@Suite struct ExactReadSizeAllocatorTests {
    @Test(arguments: [1, 7, 100, 4096, 65_537])
    func buffersOfferExactlyTheReadSize(size: Int) {
        let allocator = ExactReadSizeAllocator(size: size)
        let buffer = allocator.buffer(allocator: ByteBufferAllocator())
        #expect(buffer.writableBytes == size)
        #expect(buffer.readableBytes == 0)
        #expect(allocator.nextBufferSize() == nil, "no size hint: NIO's pool would reuse the buffer after clear()")
    }

    @Test func everyReadGetsAFreshBufferFromThePool() throws {
        // NIO's pool reuses a buffer nobody holds after clear(), which undoes the surplus skip: recv(7) → recv(8).
        var pool = NIOPooledRecvBufferAllocator(capacity: 1, recvAllocator: ExactReadSizeAllocator(size: 7))
        for _ in 0..<3 {
            let (_, writable) = pool.buffer(allocator: ByteBufferAllocator()) { $0.writableBytes }
            #expect(writable == 7)
            _ = pool.record(actualReadBytes: 7)
        }
    }
}
