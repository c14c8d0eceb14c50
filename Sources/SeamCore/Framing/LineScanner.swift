/// Finds the LF that ends a line in a `FramingBuffer`, resuming where the last search stopped, and splits a line
/// into words.
struct LineScanner: Hashable, Sendable {
    /// The longest line accepted.
    static let limit = 64 * 1024

    private var scanned = 0

    /// The line's length including its LF, once the LF is in; `nil` before.
    /// - Throws: `FramingError` when the line is longer than `limit` without an LF.
    mutating func lineEnd(in buffer: FramingBuffer, what: String) throws(FramingError) -> Int? {
        guard let newline = buffer.firstIndex(of: 0x0A, from: scanned) else {
            scanned = buffer.readableBytes
            guard buffer.readableBytes <= Self.limit else {
                throw FramingError(offset: buffer.readerOffset, reason: "\(what) longer than \(Self.limit) bytes")
            }
            return nil
        }
        scanned = 0
        return newline + 1
    }

    /// The words of a line (without its LF and a CR before it), split at spaces and tabs.
    static func words(_ line: [UInt8]) -> [ArraySlice<UInt8>] {
        var line = line[...]
        if line.last == 0x0A { line = line.dropLast() }
        if line.last == 0x0D { line = line.dropLast() }
        return line.split { $0 == 0x20 || $0 == 0x09 }
    }

    /// A word of ASCII digits as a number (at most 19 digits), `nil` otherwise.
    static func number(_ word: ArraySlice<UInt8>) -> UInt64? {
        guard !word.isEmpty, word.count <= 19, word.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return word.reduce(0) { $0 * 10 + UInt64($1 - 0x30) }
    }
}
