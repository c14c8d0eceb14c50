/// Finds the end of an HTTP/1.x head (the empty line after the header block) in a `FramingBuffer`, resuming
/// where the last search stopped, so feeding a head byte by byte costs linear time.
struct HTTPHeadScanner: Hashable, Sendable {
    /// The largest head accepted (as `http1`'s).
    static let limit = 64 * 1024

    /// Bytes already searched.
    private var scanned = 0

    /// The head's length up to and including its empty line (`\r\n\r\n` or `\n\n`), once it is all in `buffer`.
    mutating func headEnd(in buffer: FramingBuffer) -> Int? {
        var from = scanned
        while let newline = buffer.firstIndex(of: 0x0A, from: from) {
            guard let next = buffer.byte(at: newline + 1) else {
                scanned = newline
                return nil
            }
            if next == 0x0A { return done(newline + 2) }
            if next == 0x0D {
                guard let third = buffer.byte(at: newline + 2) else {
                    scanned = newline
                    return nil
                }
                if third == 0x0A { return done(newline + 3) }
            }
            from = newline + 1
        }
        scanned = buffer.readableBytes
        return nil
    }

    private mutating func done(_ end: Int) -> Int {
        scanned = 0
        return end
    }

    /// The values of the header fields named `name` (case-insensitive) in a whole head, trimmed and lowercased.
    static func values(of name: String, in head: [UInt8]) -> [String] {
        let wanted = name.lowercased()
        var values: [String] = []
        for line in head.split(separator: 0x0A).dropFirst() {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
            let field = String(decoding: line[line.startIndex..<colon], as: UTF8.self).lowercased()
            guard field == wanted else { continue }
            var value = line[(colon + 1)...]
            if value.last == 0x0D { value = value.dropLast() }
            values.append(String(decoding: value, as: UTF8.self).trimmingHTTPSpaces.lowercased())
        }
        return values
    }

    /// Whether a header `name` lists `token` among its comma-separated values (case-insensitive).
    static func header(_ name: String, in head: [UInt8], contains token: String) -> Bool {
        values(of: name, in: head).contains { value in
            value.split(separator: ",").contains { $0.trimmingHTTPSpaces == token }
        }
    }
}
