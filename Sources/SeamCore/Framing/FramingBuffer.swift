#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of one stream direction that a decoder has not consumed yet, addressed relative to the reader.
///
/// It is two pieces: `carried`, the few bytes earlier chunks left unconsumed (a header not yet whole), and
/// the chunk being fed, which is never copied while the decoder works on it. After the decoder has taken
/// what it can, the framer moves the chunk's unconsumed rest into `carried`. So a body that the decoder skips
/// by count is never copied, and `bufferedByteCount` stays as small as the decoders' needs.
///
/// ```
///              readerOffset                                     endOffset
///                   v                                               v
///  ... consumed ... | carried[carriedIndex...] | chunk[chunkIndex...] |
///                   index 0 ...                      ... readableBytes
/// ```
public struct FramingBuffer: Sendable {
    private var carried: [UInt8] = []
    private var carriedIndex = 0
    private var chunk: ArraySlice<UInt8> = []
    private var chunkIndex = 0
    /// Stream offset of the next unconsumed byte (index 0).
    public private(set) var readerOffset: UInt64

    /// Carried bytes above which the storage is released once empty again.
    static let releaseThreshold = 64 * 1024

    /// An empty buffer whose first byte will be at `offset` of the stream.
    public init(offset: UInt64 = 0) {
        readerOffset = offset
    }

    private var carriedCount: Int { carried.count - carriedIndex }

    /// Unconsumed bytes available to the decoder.
    public var readableBytes: Int { carriedCount + (chunk.endIndex - chunkIndex) }

    /// Stream offset just past the last byte available.
    public var endOffset: UInt64 { readerOffset + UInt64(readableBytes) }

    /// Bytes held between chunks (not counting the chunk being fed, which the caller owns).
    public var bufferedByteCount: Int { carriedCount }

    /// Bytes of storage the buffer holds between chunks.
    public var bufferedCapacity: Int { carried.capacity }

    /// The byte at `index` (relative to the reader), `nil` past the end.
    public func byte(at index: Int) -> UInt8? {
        guard index >= 0 else { return nil }
        if index < carriedCount { return carried[carriedIndex + index] }
        let chunkPosition = chunkIndex + index - carriedCount
        return chunkPosition < chunk.endIndex ? chunk[chunkPosition] : nil
    }

    /// Copies the bytes at `range` (relative to the reader; clamped to what is readable).
    public func bytes(_ range: Range<Int>) -> [UInt8] {
        let upper = min(range.upperBound, readableBytes)
        let lower = max(0, range.lowerBound)
        guard lower < upper else { return [] }
        var result: [UInt8] = []
        result.reserveCapacity(upper - lower)
        let carriedUpper = min(upper, carriedCount)
        if lower < carriedUpper { result += carried[(carriedIndex + lower)..<(carriedIndex + carriedUpper)] }
        let chunkLower = max(lower, carriedCount) - carriedCount + chunkIndex
        let chunkUpper = upper - carriedCount + chunkIndex
        if chunkLower < chunkUpper { result += chunk[chunkLower..<chunkUpper] }
        return result
    }

    /// Appends the first `count` readable bytes (clamped to what is readable) to `head`, a piece at a time.
    func copyPrefix(_ count: Int, into head: inout SummaryHead) {
        let count = min(max(0, count), readableBytes)
        let fromCarried = min(count, carriedCount)
        if fromCarried > 0 {
            carried[carriedIndex..<(carriedIndex + fromCarried)].withUnsafeBufferPointer { head.append($0) }
        }
        let fromChunk = count - fromCarried
        if fromChunk > 0 {
            chunk[chunkIndex..<(chunkIndex + fromChunk)].withUnsafeBufferPointer { head.append($0) }
        }
    }

    /// The index of the first `byte` at or after `start`, or `nil`.
    public func firstIndex(of byte: UInt8, from start: Int = 0) -> Int? {
        let start = max(0, start)
        if start < carriedCount, let found = Self.find(byte, in: carried[(carriedIndex + start)...]) {
            return found - carriedIndex
        }
        let chunkStart = chunkIndex + max(0, start - carriedCount)
        guard chunkStart < chunk.endIndex, let found = Self.find(byte, in: chunk[chunkStart...]) else { return nil }
        return found - chunkIndex + carriedCount
    }

    /// The index (in `slice`'s indices) of the first `byte`, found with memchr.
    private static func find(_ byte: UInt8, in slice: ArraySlice<UInt8>) -> Int? {
        slice.withUnsafeBufferPointer { buffer -> Int? in
            guard let base = buffer.baseAddress, !buffer.isEmpty,
                let hit = memchr(base, Int32(byte), buffer.count)
            else { return nil }
            return slice.startIndex + (UnsafeRawPointer(hit) - UnsafeRawPointer(base))
        }
    }

    /// The index of the first occurrence of `pattern` (not empty) starting at or after `start`, or `nil`.
    public func firstIndex(of pattern: [UInt8], from start: Int = 0) -> Int? {
        guard let first = pattern.first else { return nil }
        if pattern.count == 1 { return firstIndex(of: first, from: start) }
        var candidate = start
        while let found = firstIndex(of: first, from: candidate) {
            guard found + pattern.count <= readableBytes else { return nil }
            var matches = true
            for (position, expected) in pattern.enumerated().dropFirst() where byte(at: found + position) != expected {
                matches = false
                break
            }
            if matches { return found }
            candidate = found + 1
        }
        return nil
    }

    /// Moves the reader past `count` bytes (at most all that are readable).
    public mutating func consume(_ count: Int) {
        var count = min(max(0, count), readableBytes)
        readerOffset += UInt64(count)
        let fromCarried = min(count, carriedCount)
        carriedIndex += fromCarried
        count -= fromCarried
        chunkIndex += count
    }

    /// Consumes everything readable.
    public mutating func consumeAll() {
        consume(readableBytes)
    }

    // MARK: the framer's side

    /// Makes `bytes` readable after what is carried, without copying them.
    mutating func attach(_ bytes: ArraySlice<UInt8>) {
        settle()
        chunk = bytes
        chunkIndex = bytes.startIndex
    }

    /// Copies the chunk's unconsumed rest into the carried storage and drops consumed carried bytes.
    mutating func settle() {
        if carriedIndex > 0 {
            carried.removeFirst(carriedIndex)
            carriedIndex = 0
        }
        if chunkIndex < chunk.endIndex { carried += chunk[chunkIndex...] }
        chunk = []
        chunkIndex = 0
        if carried.isEmpty && carried.capacity > Self.releaseThreshold { carried = [] }
    }

    /// Drops every unconsumed byte and moves the reader `length` bytes further (past a gap).
    mutating func discardAll(skipping length: UInt64) {
        consumeAll()
        settle()
        readerOffset += length
    }
}
