import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import SeamCore
import SeamRecording
import Testing

@testable import SeamProxy

/// A sink whose back-pressure the test turns on and off: `catchUp()` clears it and runs the waiting callbacks,
/// as a lossless recorder's writer thread does when it has caught up.
final class BackPressureSink: SessionCallSink, Sendable {
    private struct State {
        var backedUp = false
        var waiters: [@Sendable () -> Void] = []
        var calls = 0
        var waits = 0
    }
    private let state = NIOLockedValueBox(State())

    func record(_ call: SessionCall, payload: ByteBuffer?) { state.withLockedValue { $0.calls += 1 } }
    var isBackedUp: Bool { state.withLockedValue { $0.backedUp } }
    func whenCaughtUp(_ resume: @escaping @Sendable () -> Void) {
        let now = state.withLockedValue { state -> Bool in
            guard state.backedUp else { return true }
            state.waits += 1
            state.waiters.append(resume)
            return false
        }
        if now { resume() }
    }
    func backUp() { state.withLockedValue { $0.backedUp = true } }
    func catchUp() {
        let waiters = state.withLockedValue { state in
            defer { state.waiters = [] }
            state.backedUp = false
            return state.waiters
        }
        for resume in waiters { resume() }
    }
    /// How many callbacks were asked for (one per connection or socket, however many reads waited).
    var waits: Int { state.withLockedValue { $0.waits } }
}

@Suite struct RecordingGateTests {
    struct Pair {
        let loop = EmbeddedEventLoop()
        let downstream: EmbeddedChannel
        let upstream: EmbeddedChannel
        let downstreamReads = ReadCounter()
        let upstreamReads = ReadCounter()
        let sink = BackPressureSink()

        init() throws {
            downstream = EmbeddedChannel(loop: loop)
            upstream = EmbeddedChannel(loop: loop)
            try downstream.pipeline.syncOperations.addHandler(downstreamReads)
            try upstream.pipeline.syncOperations.addHandler(upstreamReads)
            let relay = RelayConnection(statistics: ProxyStatistics(), recording: sink)
            let glue = relay.makeGluePair()
            try downstream.pipeline.syncOperations.addHandler(glue.downstream)
            try upstream.pipeline.syncOperations.addHandler(glue.upstream)
            try downstream.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
            try upstream.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 2)).wait()
        }

        func finish() throws {
            #expect(try downstream.finish().isClean)
            _ = try upstream.readOutbound(as: ByteBuffer.self)  // the close barrier
            #expect(try upstream.finish(acceptAlreadyClosed: true).isClean)
        }
    }

    @Test func bothLegsStopReadingWhileTheRecorderIsBackedUpAndResumeWhenItCatchesUp() throws {
        let pair = try Pair()
        pair.downstream.read()
        pair.upstream.read()
        #expect(pair.downstreamReads.reads == 1 && pair.upstreamReads.reads == 1)
        pair.sink.backUp()
        pair.downstream.read()
        pair.upstream.read()
        pair.downstream.read()
        #expect(pair.downstreamReads.reads == 1, "no read reaches the socket while the recorder is behind")
        #expect(pair.upstreamReads.reads == 1)
        #expect(pair.sink.waits == 1, "one callback for the connection, not one per held read")
        pair.sink.catchUp()
        #expect(pair.downstreamReads.reads == 1, "the callback hops to the event loop first")
        pair.loop.run()
        #expect(pair.downstreamReads.reads == 2, "the held read goes once the recorder caught up")
        #expect(pair.upstreamReads.reads == 2)
        try pair.finish()
    }

    @Test func aReadHeldForBothReasonsWaitsForBoth() throws {
        let pair = try Pair()
        pair.sink.backUp()
        pair.upstream.isWritable = false
        pair.upstream.pipeline.fireChannelWritabilityChanged()
        pair.downstream.read()
        pair.sink.catchUp()
        pair.loop.run()
        #expect(pair.downstreamReads.reads == 0, "the upstream still cannot take more")
        pair.sink.backUp()
        pair.upstream.isWritable = true
        pair.upstream.pipeline.fireChannelWritabilityChanged()
        #expect(pair.downstreamReads.reads == 0, "writable again, but now the recorder is behind")
        pair.sink.catchUp()
        pair.loop.run()
        #expect(pair.downstreamReads.reads == 1)
        try pair.finish()
    }

    @Test func withoutARecordingSinkReadsAreNeverHeld() throws {
        let loop = EmbeddedEventLoop()
        let downstream = EmbeddedChannel(loop: loop)
        let upstream = EmbeddedChannel(loop: loop)
        let reads = ReadCounter()
        try downstream.pipeline.syncOperations.addHandler(reads)
        let glue = RelayConnection(statistics: ProxyStatistics()).makeGluePair()
        try downstream.pipeline.syncOperations.addHandler(glue.downstream)
        try upstream.pipeline.syncOperations.addHandler(glue.upstream)
        try downstream.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        try upstream.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 2)).wait()
        for _ in 0..<3 { downstream.read() }
        #expect(reads.reads == 3)
        #expect(try downstream.finish().isClean)
        _ = try upstream.readOutbound(as: ByteBuffer.self)  // the close barrier
        #expect(try upstream.finish(acceptAlreadyClosed: true).isClean)
    }

    @Test func aUDPSocketReadsTheNextBatchOnlyWhenTheRecorderAndTheRelayAllowIt() throws {
        let channel = EmbeddedChannel()
        let reads = ReadCounter()
        let sink = BackPressureSink()
        let received = NIOLockedValueBox(0)
        let handler = UDPDatagramHandler(recording: sink) { _ in received.withLockedValue { $0 += 1 } }
        var relayHolds = false
        handler.holdsReads = { relayHolds }
        try channel.pipeline.syncOperations.addHandler(reads)
        try channel.pipeline.syncOperations.addHandler(handler)
        let client = try SocketAddress(ipAddress: "127.0.0.1", port: 9)
        let datagram = AddressedEnvelope(remoteAddress: client, data: ByteBuffer(string: "x"))

        try channel.writeInbound(datagram)  // a batch: one datagram, then read-complete
        #expect(reads.reads == 1, "the next read is asked for after each batch")
        sink.backUp()
        try channel.writeInbound(datagram)
        #expect(reads.reads == 1, "held: the recorder is behind")
        sink.catchUp()
        (channel.eventLoop as! EmbeddedEventLoop).run()
        #expect(reads.reads == 2)
        relayHolds = true
        try channel.writeInbound(datagram)
        #expect(reads.reads == 2, "held: the relay is setting up a mapping")
        relayHolds = false
        handler.resumeHeldRead()
        #expect(reads.reads == 3)
        #expect(received.withLockedValue { $0 } == 3, "every datagram read was handed on")
        #expect(sink.waits == 1)
        #expect(try channel.finish().isClean)
    }
}
