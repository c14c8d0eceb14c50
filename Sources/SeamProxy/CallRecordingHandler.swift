import NIOCore
import SeamCore

/// Records a TCP leg's socket calls into a `ProxyCallSink`, passing everything on unchanged.
///
/// Each inbound chunk is a `recv` (at the moment it is read); each outbound write is a `send`, recorded
/// when its write promise completes (the bytes are in the kernel then). End-of-file is a `recv` of
/// length 0, `close(mode: .output)` a `shutdown`, a `RelayResetEvent` before the close a `reset`, any other close
/// a `close`; errors are `error` calls with the error's text. Offsets count per direction from 0.
final class CallRecordingHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let connection: Int
    private let leg: Leg
    private let sink: any ProxyCallSink
    private let keepsPayload: Bool
    private let readSize: Int?
    private var recvOffset: UInt64 = 0
    private var sendOffset: UInt64 = 0
    private var local: Endpoint?
    private var remote: Endpoint?
    private var closeRecorded = false

    /// - Parameters:
    ///   - readSize: the fixed size each read asks for (`--recv-size`), recorded as the calls' buffer size.
    init(connection: Int, leg: Leg, sink: any ProxyCallSink, keepsPayload: Bool, readSize: Int?) {
        self.connection = connection
        self.leg = leg
        self.sink = sink
        self.keepsPayload = keepsPayload
        self.readSize = readSize
    }

    /// Reads on the downstream leg carry client → server bytes; on the upstream leg server → client.
    private var recvDirection: Direction { leg == .downstream ? .clientToServer : .serverToClient }

    private func call(_ kind: ProxyCall.Kind, direction: Direction? = nil) -> ProxyCall {
        ProxyCall(kind: kind, connection: connection, leg: leg, direction: direction)
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
        if keepsPayload { recv.payload = buffer }
        recvOffset &+= UInt64(buffer.readableBytes)
        sink.record(recv)
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
        var failure = call(.error)
        failure.extra = [("error", "\(error)")]
        if let io = error as? IOError { failure.extra.append(("errno", String(io.errnoCode))) }
        sink.record(failure)
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !closeRecorded {
            closeRecorded = true
            sink.record(call(.close))
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
        if keepsPayload { send.payload = buffer }
        sendOffset &+= UInt64(length)
        let written = promise ?? context.eventLoop.makePromise()
        let sink = self.sink
        let pending = send
        written.futureResult.whenSuccess {
            var completed = pending
            completed.timestamp = .now()
            sink.record(completed)
        }
        context.write(data, promise: written)
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        switch mode {
        case .output:
            sink.record(call(.shutdown, direction: recvDirection.reversed))
        case .all:
            if !closeRecorded && context.channel.isActive {
                closeRecorded = true
                sink.record(call(.close))
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
            sink.record(call(.reset))
        }
        promise?.succeed(())
    }
}

/// Not Sendable: it lives on its channel's event loop.
@available(*, unavailable)
extension CallRecordingHandler: Sendable {}
