/// Python's `struct.pack('i', n)` framing: a 4-byte little-endian length, then the body.
enum StructHeader {
    static func lengthBytes(_ count: Int) -> [UInt8] {
        let value = UInt32(truncatingIfNeeded: count)
        return [UInt8(value & 0xff), UInt8(value >> 8 & 0xff), UInt8(value >> 16 & 0xff), UInt8(value >> 24)]
    }

    static func framed(_ body: [UInt8]) -> [UInt8] { lengthBytes(body.count) + body }

    static func value(_ header: [UInt8]) -> Int {
        header.prefix(4).reversed().reduce(0) { $0 << 8 | Int($1) }
    }

    /// Removes and returns the first whole message of `buffer`, or `nil` when it is not all there yet.
    static func cut(_ buffer: inout [UInt8]) -> [UInt8]? {
        guard buffer.count >= 4 else { return nil }
        let length = value(buffer)
        guard buffer.count >= 4 + length else { return nil }
        let message = Array(buffer[4..<(4 + length)])
        buffer.removeFirst(4 + length)
        return message
    }
}
