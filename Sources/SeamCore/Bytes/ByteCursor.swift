/// A read cursor over bytes, shaped like NIO's `ByteBuffer` but without NIO.
///
/// - `get…(at:)` reads at an absolute index of `bytes` and does not move the cursor.
/// - `read…()` reads at `readerIndex` and moves it past what it read.
/// - Both return `nil` when fewer bytes remain than asked; nothing traps.
/// - Integers are big-endian (network order) unless the name says `LittleEndian`.
///
/// The cursor holds an `ArraySlice`, so cutting a view out of a packet never copies.
public struct ByteCursor: Sendable {
    /// The bytes this cursor reads; indices are those of the underlying array.
    public let bytes: ArraySlice<UInt8>
    /// Index of the next byte `read…()` returns.
    public var readerIndex: Int

    public init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.readerIndex = bytes.startIndex
    }

    public init(_ bytes: [UInt8]) {
        self.init(bytes[...])
    }

    /// Bytes left between `readerIndex` and the end.
    public var readableBytes: Int { bytes.endIndex - readerIndex }

    // MARK: get (absolute, does not move)

    public func getUInt8(at index: Int) -> UInt8? {
        guard index >= bytes.startIndex, index < bytes.endIndex else { return nil }
        return bytes[index]
    }

    public func getUInt16(at index: Int) -> UInt16? {
        guard index >= bytes.startIndex, index + 2 <= bytes.endIndex else { return nil }
        return UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1])
    }

    public func getUInt32(at index: Int) -> UInt32? {
        guard index >= bytes.startIndex, index + 4 <= bytes.endIndex else { return nil }
        return UInt32(bytes[index]) << 24 | UInt32(bytes[index + 1]) << 16 | UInt32(bytes[index + 2]) << 8
            | UInt32(bytes[index + 3])
    }

    public func getUInt64(at index: Int) -> UInt64? {
        guard let high = getUInt32(at: index), let low = getUInt32(at: index + 4) else { return nil }
        return UInt64(high) << 32 | UInt64(low)
    }

    public func getUInt16LittleEndian(at index: Int) -> UInt16? {
        getUInt16(at: index).map { $0.byteSwapped }
    }

    public func getUInt32LittleEndian(at index: Int) -> UInt32? {
        getUInt32(at: index).map { $0.byteSwapped }
    }

    public func getUInt64LittleEndian(at index: Int) -> UInt64? {
        getUInt64(at: index).map { $0.byteSwapped }
    }

    /// A slice of `length` bytes at `index`, without copying.
    public func getSlice(at index: Int, length: Int) -> ArraySlice<UInt8>? {
        guard length >= 0, index >= bytes.startIndex, index + length <= bytes.endIndex else { return nil }
        return bytes[index..<(index + length)]
    }

    // MARK: read (relative, moves on success)

    public mutating func readUInt8() -> UInt8? { advance(1, getUInt8(at: readerIndex)) }
    public mutating func readUInt16() -> UInt16? { advance(2, getUInt16(at: readerIndex)) }
    public mutating func readUInt32() -> UInt32? { advance(4, getUInt32(at: readerIndex)) }
    public mutating func readUInt64() -> UInt64? { advance(8, getUInt64(at: readerIndex)) }
    public mutating func readUInt16LittleEndian() -> UInt16? {
        advance(2, getUInt16LittleEndian(at: readerIndex))
    }
    public mutating func readUInt32LittleEndian() -> UInt32? {
        advance(4, getUInt32LittleEndian(at: readerIndex))
    }

    public mutating func readSlice(length: Int) -> ArraySlice<UInt8>? {
        advance(length, getSlice(at: readerIndex, length: length))
    }

    /// Skips `length` bytes; `false` (and no move) when fewer remain.
    @discardableResult public mutating func skip(_ length: Int) -> Bool {
        guard length >= 0, length <= readableBytes else { return false }
        readerIndex += length
        return true
    }

    mutating func advance<T>(_ length: Int, _ value: T?) -> T? {
        if value != nil { readerIndex += length }
        return value
    }
}
