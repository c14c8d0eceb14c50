import NIOCore
import SeamCore
import SeamRecording

/// Records a TCP leg's socket calls into a `SessionCallSink`, passing everything on unchanged.
///
/// Each inbound chunk is a `recv` (at the moment it is read); each outbound write is a `send`, recorded
/// when its write promise completes (the bytes are in the kernel then). End-of-file is a `recv` of
/// length 0, `close(mode: .output)` a `shutdown`, a `RelayResetEvent` before the close a `reset`, any other close
/// a `close`; errors are `error` calls with the errno and its name. Offsets count per direction from 0.
/// The bytes go to the sink as the read's `ByteBuffer` (no copy here; the recorder copies them off the loop).
final class CallRecordingHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let connection: Int
    private let leg: Leg
    private let sink: any SessionCallSink
    private let keepsPayload: Bool
    private let readSize: Int?
    private var recvOffset: UInt64 = 0
    private var sendOffset: UInt64 = 0
    private var local: Endpoint?
    private var remote: Endpoint?
    private var closeRecorded = false
    /// What a `RechunkHandler` above did to the write passing now (`--rechunk`).
    private let rechunkMark: RechunkMark?

    /// - Parameters:
    ///   - readSize: the fixed size each read asks for (`--recv-size`), recorded as the calls' buffer size.
    ///   - rechunkMark: shared with the leg's `RechunkHandler`, which marks the pieces it cuts or joins.
    init(
        connection: Int, leg: Leg, sink: any SessionCallSink, keepsPayload: Bool, readSize: Int?,
        rechunkMark: RechunkMark? = nil
    ) {
        self.rechunkMark = rechunkMark
        self.connection = connection
        self.leg = leg
        self.sink = sink
        self.keepsPayload = keepsPayload
        self.readSize = readSize
    }

    /// Reads on the downstream leg carry client → server bytes; on the upstream leg server → client.
    private var recvDirection: Direction { leg.proxyReadDirection }

    private func call(_ kind: SessionCall.Kind, direction: Direction? = nil) -> SessionCall {
        SessionCall(kind: kind, connection: connection, leg: leg, direction: direction, timestamp: .now())
    }

    /// The leg's endpoints as a close or shutdown states them: client first.
    private func clientFirst(_ call: inout SessionCall) {
        (call.source, call.destination) = leg == .downstream ? (remote, local) : (local, remote)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { learnEndpoints(context.channel) }
    }

    func channelActive(context: ChannelHandlerContext) {
        learnEndpoints(context.channel)
        context.fireChannelActive()
    }

    /// The socket's endpoints, known once it is connected (an upstream leg's handlers are added before).
    private func learnEndpoints(_ channel: Channel) {
        local = channel.localAddress.flatMap(Endpoint.init(socketAddress:))
        remote = channel.remoteAddress.flatMap(Endpoint.init(socketAddress:))
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        var recv = call(.recv, direction: recvDirection)
        recv.offset = recvOffset
        recv.length = buffer.readableBytes
        recv.bufferSize = readSize
        recv.source = remote
        recv.destination = local
        recvOffset &+= UInt64(buffer.readableBytes)
        sink.record(recv, payload: keepsPayload ? buffer : nil)
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, case .inputClosed = event {
            var eof = call(.recv, direction: recvDirection)
            eof.offset = recvOffset
            eof.length = 0
            eof.bufferSize = readSize
            eof.source = remote
            eof.destination = local
            sink.record(eof)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        var failed = call(.error)
        failed.failure = CallFailure(error)
        clientFirst(&failed)
        sink.record(failed)
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !closeRecorded {
            closeRecorded = true
            var closed = call(.close)
            clientFirst(&closed)
            sink.record(closed)
        }
        context.fireChannelInactive()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let buffer = unwrapOutboundIn(data)
        let length = buffer.readableBytes
        guard length > 0 else {
            context.write(data, promise: promise)
            return
        }
        var send = call(.send, direction: recvDirection.reversed)
        send.offset = sendOffset
        send.length = length
        send.source = local
        send.destination = remote
        send.rechunk = rechunkMark?.take()
        sendOffset &+= UInt64(length)
        let written = promise ?? context.eventLoop.makePromise()
        let sink = self.sink
        let pending = send
        let payload = keepsPayload ? buffer : nil
        written.futureResult.whenSuccess {
            var completed = pending
            completed.timestamp = .now()
            sink.record(completed, payload: payload)
        }
        context.write(data, promise: written)
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        switch mode {
        case .output:
            var shutdown = call(.shutdown, direction: recvDirection.reversed)
            shutdown.shutdownHow = .write
            clientFirst(&shutdown)
            sink.record(shutdown)
        case .all:
            if !closeRecorded && context.channel.isActive {
                closeRecorded = true
                var closed = call(.close)
                clientFirst(&closed)
                sink.record(closed)
            }
        case .input:
            break
        }
        context.close(mode: mode, promise: promise)
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard event is RelayResetEvent else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        if !closeRecorded {
            closeRecorded = true
            var reset = call(.reset)
            clientFirst(&reset)
            sink.record(reset)
        }
        promise?.succeed(())
    }
}

/// Not Sendable: it lives on its channel's event loop.
@available(*, unavailable)
extension CallRecordingHandler: Sendable {}
