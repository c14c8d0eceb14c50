import NIOCore
import SeamCore

/// Changes a leg's writes on purpose (`seam proxy --rechunk`): cuts each write into pieces (`split:N`,
/// `random:MIN-MAX`), or holds writes for a while and writes them as one (`coalesce:MS`). With a piece delay
/// (`--rechunk-delay MS`) the pieces of one write go out that far apart, so the kernel cannot join them again.
///
/// Placed between the leg's `CallRecordingHandler` (towards the socket) and its glue, so each piece is recorded
/// as its own `send`, marked `rechunk=split` (or `coalesce`) through the shared `RechunkMark`.
///
/// Order is kept: pieces and held writes leave in the order they came, and a write's promise completes when its
/// last byte is in the kernel. An empty write (the relay's barrier before a shutdown or close) and a close first
/// let everything held go out. What it holds is bounded: a coalesce is written early at `holdLimit` bytes, and
/// with a piece delay the relay's reads outrun it by at most what arrives during the delays (it does not change
/// the leg's writability).
final class RechunkHandler: ChannelOutboundHandler {
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// A coalesce that reaches this many bytes is written at once.
    static let holdLimit = 64 << 10

    private struct Piece {
        var buffer: ByteBuffer
        var mark: SessionCall.Rechunk?
        /// The promise of the original write, on its last piece.
        var promise: EventLoopPromise<Void>?
    }

    private let kind: RechunkRule.Kind
    private var sizer: PieceSizer
    private let delay: TimeAmount?
    private let mark: RechunkMark
    /// Pieces waiting for their delay (split and random with a delay).
    private var queue: [Piece] = []
    private var timer: Scheduled<Void>?
    /// Writes held by a coalesce, and their promises.
    private var held: ByteBuffer?
    private var heldWrites = 0
    private var heldPromises: [EventLoopPromise<Void>] = []
    private var pendingClose: (mode: CloseMode, promise: EventLoopPromise<Void>?)?

    init(kind: RechunkRule.Kind, seed: UInt64, delayMilliseconds: Int?, mark: RechunkMark) {
        self.kind = kind
        sizer = PieceSizer(kind: kind, seed: seed)
        delay = delayMilliseconds.map { .milliseconds(Int64($0)) }
        self.mark = mark
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        var buffer = unwrapOutboundIn(data)
        guard buffer.readableBytes > 0 else {  // a barrier: what is held goes first
            releaseHeld(context: context)
            if queue.isEmpty {
                context.write(data, promise: promise)
            } else {
                queue.append(Piece(buffer: buffer, mark: nil, promise: promise))
            }
            return
        }
        if case .coalesce(let milliseconds) = kind {
            hold(buffer, promise: promise, milliseconds: milliseconds, context: context)
            return
        }
        let sizes = sizer.pieces(of: buffer.readableBytes)
        let cut: SessionCall.Rechunk? = sizes.count > 1 ? .split : nil
        for (index, size) in sizes.enumerated() {
            let piece = buffer.readSlice(length: size)!
            queue.append(Piece(buffer: piece, mark: cut, promise: index == sizes.count - 1 ? promise : nil))
        }
        if delay == nil || timer == nil { pump(context: context) }
    }

    func flush(context: ChannelHandlerContext) {
        // Pieces and coalesced writes are flushed as they are written.
        context.flush()
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        releaseHeld(context: context)
        guard queue.isEmpty else {  // after the pieces still waiting for their delay
            pendingClose = (mode, promise)
            return
        }
        context.close(mode: mode, promise: promise)
    }

    // MARK: - Split and random

    /// Writes queued pieces: all of them without a delay, else one now and the next after the delay.
    private func pump(context: ChannelHandlerContext) {
        timer = nil
        while !queue.isEmpty {
            let piece = queue.removeFirst()
            mark.set(piece.mark)
            context.writeAndFlush(wrapOutboundOut(piece.buffer), promise: piece.promise)
            if let delay, piece.buffer.readableBytes > 0, !queue.isEmpty {
                timer = context.eventLoop.assumeIsolated().scheduleTask(in: delay) { [self] in pump(context: context) }
                return
            }
        }
        if let pendingClose {
            self.pendingClose = nil
            context.close(mode: pendingClose.mode, promise: pendingClose.promise)
        }
    }

    // MARK: - Coalesce

    private func hold(
        _ buffer: ByteBuffer,
        promise: EventLoopPromise<Void>?,
        milliseconds: Int,
        context: ChannelHandlerContext
    ) {
        var buffer = buffer
        if held == nil {
            held = buffer
            timer = context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(Int64(milliseconds))) { [self] in
                timer = nil
                releaseHeld(context: context)
            }
        } else {
            held!.writeBuffer(&buffer)
        }
        heldWrites += 1
        if let promise { heldPromises.append(promise) }
        if held!.readableBytes >= Self.holdLimit { releaseHeld(context: context) }
    }

    /// Writes what a coalesce holds as one write (marked `coalesce` when it joins several).
    private func releaseHeld(context: ChannelHandlerContext) {
        guard let buffer = held else { return }
        timer?.cancel()
        timer = nil
        held = nil
        let promises = heldPromises
        heldPromises = []
        mark.set(heldWrites > 1 ? .coalesce : nil)
        heldWrites = 0
        let written = context.eventLoop.makePromise(of: Void.self)
        for promise in promises { written.futureResult.cascade(to: promise) }
        context.writeAndFlush(wrapOutboundOut(buffer), promise: written)
    }
}

/// Not Sendable: it lives on its channel's event loop.
@available(*, unavailable)
extension RechunkHandler: Sendable {}
