import NIOCore
import NIOEmbedded
import SeamCore
import Testing

@testable import SeamProxy

/// `RechunkHandler` on an `EmbeddedChannel`, behind a `CallRecordingHandler`: the pieces, their order, their
/// marks, and that a barrier or a close lets everything held go first.
@Suite struct RechunkHandlerTests {
    func channel(_ kind: RechunkRule.Kind, delay: Int? = nil) throws -> (EmbeddedChannel, CallCollector) {
        let calls = CallCollector()
        let mark = RechunkMark()
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(
            CallRecordingHandler(
                connection: 1,
                leg: .upstream,
                sink: calls,
                keepsPayload: true,
                readSize: nil,
                rechunkMark: mark
            )
        )
        try channel.pipeline.syncOperations.addHandler(
            RechunkHandler(kind: kind, seed: 1, delayMilliseconds: delay, mark: mark)
        )
        return (channel, calls)
    }

    func written(_ channel: EmbeddedChannel) throws -> [String] {
        var pieces: [String] = []
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { pieces.append(String(buffer: buffer)) }
        return pieces
    }

    @Test func splitCutsEachWriteInOrderAndMarksThePieces() throws {
        let (channel, calls) = try channel(.split(size: 3))
        try channel.writeAndFlush(ByteBuffer(string: "abcdefgh")).wait()
        try channel.writeAndFlush(ByteBuffer(string: "ij")).wait()
        #expect(try written(channel) == ["abc", "def", "gh", "ij"])
        #expect(calls.calls(.send).map(\.rechunk) == [.split, .split, .split, nil])
        #expect(calls.calls(.send).map { $0.offset! } == [0, 3, 6, 8])
        _ = try channel.finish()
    }

    @Test func aDelayHoldsTheNextPieceAndTheCloseWaitsForIt() throws {
        let (channel, _) = try channel(.split(size: 2), delay: 10)
        let done = channel.writeAndFlush(ByteBuffer(string: "abcd"))
        #expect(try written(channel) == ["ab"])
        let closed = channel.close(mode: .output)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(10))
        #expect(try written(channel) == ["cd"])
        try done.wait()
        try closed.wait()
        _ = try? channel.finish()
    }

    @Test func coalesceJoinsUntilTheTimerOrABarrier() throws {
        let (channel, calls) = try channel(.coalesce(milliseconds: 100))
        channel.writeAndFlush(ByteBuffer(string: "one,"), promise: nil)
        channel.writeAndFlush(ByteBuffer(string: "two,"), promise: nil)
        #expect(try written(channel).isEmpty)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(100))
        #expect(try written(channel) == ["one,two,"])
        channel.writeAndFlush(ByteBuffer(string: "three"), promise: nil)
        channel.writeAndFlush(channel.allocator.buffer(capacity: 0), promise: nil)  // the relay's barrier
        #expect(try written(channel) == ["three", ""])
        #expect(calls.calls(.send).map(\.rechunk) == [.coalesce, nil])
        _ = try channel.finish()
    }
}
