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
        #expect(allocator.nextBufferSize() == size)
    }
}
