import NIOCore
import NIOEmbedded
import Testing

@testable import SeamProxy

/// Counts the reads that reach the socket (placed between the head and the glue).
final class ReadCounter: ChannelOutboundHandler {
    typealias OutboundIn = NIOAny
    var reads = 0
    func read(context: ChannelHandlerContext) {
        reads += 1
        context.read()
    }
}

@Suite struct GlueHandlerTests {
    struct Pair {
        let loop = EmbeddedEventLoop()
        let downstream: EmbeddedChannel
        let upstream: EmbeddedChannel
        let downstreamReads = ReadCounter()
        let upstreamCalls = CallCollector()

        init() throws {
            downstream = EmbeddedChannel(loop: loop)
            upstream = EmbeddedChannel(loop: loop)
            try downstream.pipeline.syncOperations.addHandler(downstreamReads)
            try upstream.pipeline.syncOperations.addHandler(
                CallRecordingHandler(connection: 1, leg: .upstream, sink: upstreamCalls, keepsPayload: false, readSize: nil))
            let relay = RelayConnection(statistics: ProxyStatistics())
            let glue = relay.makeGluePair()
            try downstream.pipeline.syncOperations.addHandler(glue.downstream)
            try upstream.pipeline.syncOperations.addHandler(glue.upstream)
            try downstream.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
            try upstream.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 2)).wait()
        }
    }

    @Test func eachChunkReadIsOneWriteOnTheOtherLeg() throws {
        let pair = try Pair()
        for chunk in ["a", "bc", "def"] { try pair.downstream.writeInbound(ByteBuffer(string: chunk)) }
        try pair.upstream.writeInbound(ByteBuffer(string: "reply"))
        #expect(try pair.upstream.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "a"))
        #expect(try pair.upstream.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "bc"))
        #expect(try pair.upstream.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "def"))
        #expect(try pair.upstream.readOutbound(as: ByteBuffer.self) == nil)
        #expect(try pair.downstream.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "reply"))
        #expect(pair.upstreamCalls.calls(.send).map(\.length) == [1, 2, 3])
        #expect(try pair.downstream.finish().isClean)
        #expect(try pair.upstream.readOutbound(as: ByteBuffer.self) == ByteBuffer(), "the close barrier")
        #expect(try pair.upstream.finish(acceptAlreadyClosed: true).isClean)
    }

    @Test func readsWaitWhileThePartnerIsNotWritable() throws {
        let pair = try Pair()
        pair.downstream.read()
        #expect(pair.downstreamReads.reads == 1)
        pair.upstream.isWritable = false
        pair.upstream.pipeline.fireChannelWritabilityChanged()
        pair.downstream.read()
        #expect(pair.downstreamReads.reads == 1, "held back: the upstream cannot take more")
        pair.upstream.isWritable = true
        pair.upstream.pipeline.fireChannelWritabilityChanged()
        #expect(pair.downstreamReads.reads == 2, "the held read goes once the upstream drains")
        #expect(try pair.downstream.finish().isClean)
        #expect(try pair.upstream.readOutbound(as: ByteBuffer.self) == ByteBuffer(), "the close barrier")
        #expect(try pair.upstream.finish(acceptAlreadyClosed: true).isClean)
    }

    @Test func anErrorOnOneLegResetsTheOther() throws {
        let pair = try Pair()
        pair.downstream.pipeline.fireErrorCaught(IOError(errnoCode: 104, reason: "read"))
        #expect(!pair.upstream.isActive)
        #expect(pair.upstreamCalls.calls(.reset).count == 1)
        #expect(pair.upstreamCalls.calls(.close).isEmpty)
        #expect(try pair.downstream.finish(acceptAlreadyClosed: true).isClean)
        #expect(try pair.upstream.finish(acceptAlreadyClosed: true).isClean)
    }

    @Test func bothLegsCloseGracefullyWhenOneCloses() throws {
        let pair = try Pair()
        try pair.downstream.writeInbound(ByteBuffer(string: "last"))
        try pair.downstream.close().wait()
        #expect(!pair.upstream.isActive)
        #expect(pair.upstreamCalls.calls(.close).count == 1)
        #expect(pair.upstreamCalls.calls(.send).map(\.length) == [4])
        #expect(try pair.upstream.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "last"))
        #expect(try pair.upstream.readOutbound(as: ByteBuffer.self) == ByteBuffer(), "the close barrier")
        #expect(try pair.upstream.finish(acceptAlreadyClosed: true).isClean)
    }
}
