import CSeamWatch
import SeamCore
import SeamTrace
import Testing

@testable import SeamWatch

@Suite struct WatchSocketsTests {
    func record(_ sockets: inout WatchSockets, _ raw: RawEvent) throws -> TraceRecord {
        sockets.record(for: try #require(raw.event))
    }

    @Test("a connect makes a client; offsets come from the sequence numbers after the SYN")
    func connectThenSends() throws {
        var sockets = WatchSockets(isListening: { _ in false })
        let connect = try record(&sockets, RawEvent(.connect, sequence: 1001, otherSequence: 5001))
        #expect(connect.operation == .connect && connect.role == .client && connect.asked == nil)
        let first = try record(&sockets, RawEvent(.sendto, way: .send, result: 5, asked: 5, sequence: 1001))
        let second = try record(&sockets, RawEvent(.sendto, way: .send, result: 4, asked: 4, sequence: 1006))
        // A call the ring lost (sequence 1010..1019) leaves a hole, it does not shift the next offset.
        let third = try record(&sockets, RawEvent(.write, way: .send, result: 2, asked: 2, sequence: 1020))
        #expect([first.offset, second.offset, third.offset] == [0, 5, 19])
        #expect(first.function == "send" && third.function == "write")
        let recv = try record(&sockets, RawEvent(.recvfrom, way: .recv, result: 7, asked: 1024, sequence: 5001))
        #expect(recv.operation == .recv && recv.offset == 0 && recv.role == .client && recv.asked == 1024)
    }

    @Test("a non-blocking connect (EINPROGRESS) sets the send axis; the recv axis starts at the first recv")
    func nonBlockingConnect() throws {
        var sockets = WatchSockets(isListening: { _ in false })
        let connect = try record(&sockets, RawEvent(.connect, result: -115, sequence: 77))
        #expect(connect.result == -1 && connect.errorNumber == 115)
        #expect(try record(&sockets, RawEvent(.write, way: .send, result: 3, asked: 3, sequence: 80)).offset == 3)
        #expect(try record(&sockets, RawEvent(.read, way: .recv, result: 3, asked: 9, sequence: 900)).offset == 0)
        #expect(try record(&sockets, RawEvent(.read, way: .recv, result: 3, asked: 9, sequence: 903)).offset == 3)
    }

    @Test("an accept makes a server; a socket first seen mid-stream is a server when its port listens")
    func roles() throws {
        var sockets = WatchSockets(isListening: { $0 == 9000 })
        #expect(try record(&sockets, RawEvent(.accept4, socket: 1, local: 9000, peer: 40000)).role == .server)
        // Mid-stream, on a listening port, sending first: still the server.
        let serverSend = RawEvent(.write, way: .send, result: 1, asked: 1, socket: 2, local: 9000, peer: 40001)
        #expect(try record(&sockets, serverSend).role == .server)
        // Mid-stream elsewhere: the first data call decides (a send first: the client).
        let clientSend = RawEvent(.write, way: .send, result: 1, asked: 1, socket: 3, local: 40002, peer: 8080)
        #expect(try record(&sockets, clientSend).role == .client)
        let serverRecv = RawEvent(.read, way: .recv, result: 1, asked: 1, socket: 4, local: 7070, peer: 40003)
        #expect(try record(&sockets, serverRecv).role == .server)
    }

    @Test("failures carry result -1 and the errno; shutdown's how; accept4's flags")
    func failuresAndFlags() throws {
        var sockets = WatchSockets(isListening: { _ in false })
        let failed = try record(&sockets, RawEvent(.write, way: .send, result: -32, asked: 10, sequence: 1))
        #expect(failed.result == -1 && failed.errorNumber == 32)
        var shutdown = RawEvent(.shutdown)
        shutdown.raw.flags = 1
        let how = try record(&sockets, shutdown)
        #expect(how.operation == .shutdown && how.optionLevel == 1 && how.flags == 0)
        var accept = RawEvent(.accept4, socket: 9)
        accept.raw.flags = 0o2000000
        #expect(try record(&sockets, accept).flags == 0o2000000)
    }

    @Test("the kernel's state goes with data calls only, named in ProgramCall's words")
    func kernelState() throws {
        var sockets = WatchSockets(isListening: { _ in false })
        var send = RawEvent(.write, way: .send, result: 5, asked: 5, sequence: 10)
        send.raw.tcp_nonagle = 1 | 2
        let kernel = try #require(try record(&sockets, send).kernel)
        #expect(kernel.noDelay && kernel.cork && kernel.packetsInFlight == 1 && kernel.mss == 65483)
        #expect(kernel.congestionWindow == 10 && kernel.unsentBytes == 3 && kernel.unreadBytes == 0)
        #expect(try record(&sockets, RawEvent(.close)).kernel == nil)
    }

    @Test("an unconnected UDP socket's wildcard address becomes loopback towards a loopback peer, close too")
    func wildcard() throws {
        var sockets = WatchSockets(isListening: { _ in false })
        var send = RawEvent(.sendto, way: .send, result: 5, asked: 5, udp: true)
        withUnsafeMutableBytes(of: &send.raw.local_addr) { $0.copyBytes(from: [0, 0, 0, 0]) }
        send.raw.details |= UInt32(SEAM_DETAIL_ADDRESS_GIVEN.rawValue | SEAM_DETAIL_PEER_FROM_CALL.rawValue)
        let sent = try record(&sockets, send)
        #expect(sent.local == Endpoint("127.0.0.1:40000") && sent.function == "sendto" && sent.role == .client)
        var close = RawEvent(.close, peer: 0, udp: true)
        withUnsafeMutableBytes(of: &close.raw.local_addr) { $0.copyBytes(from: [0, 0, 0, 0]) }
        let closed = try record(&sockets, close)
        #expect(closed.local == Endpoint("127.0.0.1:40000") && closed.peer == nil)
        #expect(sockets.sockets.isEmpty)
    }

    @Test("times: monotonic to realtime; an accept seen at its return only has no time of its own")
    func times() throws {
        var sockets = WatchSockets(isListening: { _ in false })
        let call = try record(&sockets, RawEvent(.read, way: .recv, result: 1, asked: 1))
        #expect(call.end.nanoseconds - call.start.nanoseconds == 500_000)
        var waiting = RawEvent(.accept, socket: 5)
        waiting.raw.start_ns = 0
        let accept = try record(&sockets, waiting)
        #expect(accept.start == accept.end)
    }

    @Test("CallTranslator keeps the command and the kernel state of a watched call")
    func throughTheTranslator() throws {
        var sockets = WatchSockets(isListening: { _ in false })
        var translator = CallTranslator()
        _ = translator.translate(try record(&sockets, RawEvent(.connect, sequence: 1)))
        let calls = translator.translate(
            try record(
                &sockets,
                RawEvent(.write, way: .send, result: 5, asked: 5, sequence: 1).with(payload: [1, 2, 3, 4, 5])
            )
        )
        let call = try #require(calls.first)
        #expect(call.kind == .send && call.offset == 0 && call.length == 5 && call.payload == [1, 2, 3, 4, 5])
        #expect(call.program?.command == "python3" && call.program?.kernel?.mss == 65483)
        #expect(call.commentWords.contains("comm=python3") && call.commentWords.contains("k-unsent=3"))
    }
}
