extension DemoSocket {
    /// recv until exactly `count` bytes arrived (the seed's `while recv_size < total_size` loop).
    public func recvExactly(_ count: Int) throws -> [UInt8] {
        var data: [UInt8] = []
        while data.count < count {
            let piece = try recv(min(1_024, count - data.count))
            if piece.isEmpty { throw DemoError("the peer closed after \(data.count) of \(count) bytes") }
            data += piece
        }
        return data
    }
}
