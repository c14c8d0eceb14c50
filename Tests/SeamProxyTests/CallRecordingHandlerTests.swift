import NIOCore
import NIOEmbedded
import SeamCore
import Testing

@testable import SeamProxy

@Suite struct CallRecordingHandlerTests {
    private func channel(leg: Leg, readSize: Int? = nil) throws -> (EmbeddedChannel, CallCollector) {
        let calls = CallCollector()
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(
            CallRecordingHandler(connection: 7, leg: leg, sink: calls, keepsPayload: true, readSize: readSize))
        return (channel, calls)
    }

    @Test func readsAreRecvCallsWithOffsetsOnTheirDirection() throws {
        let (channel, calls) = try channel(leg: .downstream, readSize: 5)
        try channel.writeInbound(ByteBuffer(string: "hello"))
        try channel.writeInbound(ByteBuffer(string: "wor"))
        #expect(try channel.readInbound(as: ByteBuffer.self) == ByteBuffer(string: "hello"))
        #expect(try channel.readInbound(as: ByteBuffer.self) == ByteBuffer(string: "wor"))
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        let recvs = calls.calls(.recv)
        #expect(recvs.map(\.offset) == [0, 5, 8])
        #expect(recvs.map(\.length) == [5, 3, 0])
        #expect(recvs.allSatisfy { $0.direction == .clientToServer && $0.connection == 7 && $0.bufferSize == 5 })
        #expect(recvs[0].payload == Array("hello".utf8))
        #expect(try channel.finish().isClean)
    }

    @Test func writesAreSendCallsRecordedWhenTheyComplete() throws {
        let (channel, calls) = try channel(leg: .upstream)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9000)).wait()
        channel.write(ByteBuffer(string: "abc"), promise: nil)
        channel.write(ByteBuffer(), promise: nil)  // the relay's barrier: not a call
        #expect(calls.calls(.send).isEmpty, "not written yet")
        channel.flush()
        channel.write(ByteBuffer(string: "defg"), promise: nil)
        channel.flush()
        let sends = calls.calls(.send)
        #expect(sends.map(\.offset) == [0, 3])
        #expect(sends.map(\.length) == [3, 4])
        #expect(sends.allSatisfy { $0.direction == .clientToServer && $0.leg == .upstream })
        #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "abc"))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer())
        #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "defg"))
        #expect(try channel.finish().isClean)
        #expect(calls.calls(.close).count == 1)
    }

    @Test func resetEventIsRecordedAsResetInsteadOfClose() throws {
        let (channel, calls) = try channel(leg: .downstream)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9000)).wait()
        channel.pipeline.triggerUserOutboundEvent(RelayResetEvent(), promise: nil)
        #expect(try channel.finish().isClean)
        #expect(calls.calls(.reset).count == 1)
        #expect(calls.calls(.close).isEmpty)
    }

    @Test func errorsAreRecordedWithTheirErrno() throws {
        let (channel, calls) = try channel(leg: .downstream)
        channel.pipeline.fireErrorCaught(IOError(errnoCode: 104, reason: "read"))
        #expect(throws: IOError.self) { try channel.throwIfErrorCaught() }
        let errors = calls.calls(.error)
        #expect(errors.count == 1)
        #expect(errors.first?.failure?.errorNumber == ErrorNumber(104))
        #expect(errors.first?.failure?.description == "read: ECONNRESET (connection reset by peer)")
        #expect(try channel.finish().isClean)
    }
}
