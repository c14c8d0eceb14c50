extension DemoSocket {
    /// recv until exactly `count` bytes arrived, each read asking for at most `readSize` (the seed's
    /// `while recv_size < total_size` loop, done right: it counts what each read returned).
    public func recvExactly(_ count: Int, readSize: Int = 1_024) throws -> [UInt8] {
        var data: [UInt8] = []
        while data.count < count {
            let piece = try recv(min(readSize, count - data.count))
            if piece.isEmpty { throw DemoError("the peer closed after \(data.count) of \(count) bytes") }
            data += piece
        }
        return data
    }

    /// One `struct.pack('i', n)`-framed message, read exactly: the 4-byte header, then its `n` bytes, each read
    /// asking for at most `readSize`. `nil` when the peer closed before a new header began (or, with `resetIsEnd`,
    /// reset the connection).
    public func recvFramed(readSize: Int = 1_024, resetIsEnd: Bool = false) throws -> [UInt8]? {
        let first = try recv(min(readSize, 4), resetIsEnd: resetIsEnd)
        if first.isEmpty { return nil }
        let header = first + (first.count < 4 ? try recvExactly(4 - first.count, readSize: readSize) : [])
        return try recvExactly(StructHeader.value(header), readSize: readSize)
    }

    /// `sendall(struct.pack('i', len(body)) + body)`: the header and the body in one buffer.
    public func sendFramed(_ body: [UInt8], flags: Int32 = 0) throws {
        let framed = StructHeader.framed(body)
        if flags != 0 {
            let sent = try send(framed, flags: flags)
            if sent < framed.count { try sendAll(Array(framed[sent...])) }
        } else {
            try sendAll(framed)
        }
    }
}
