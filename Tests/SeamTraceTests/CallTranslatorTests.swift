import SeamCore
import Testing

@testable import SeamTrace

@Suite("CallTranslator")
struct CallTranslatorTests {
    static func record(
        _ operation: UInt16, _ function: UInt8, socket: UInt64 = 1, result: Int64 = 0, asked: Int64 = -1,
        role: UInt8 = 1, udp: Bool = false, peerPort: UInt16 = 9000, configure: (inout RecordBytes) -> Void = { _ in }
    ) -> TraceRecord {
        var raw = RecordBytes(operation: operation, function: function, socket: socket, result: result, asked: asked)
        raw.endpoints(local: (1, 40000), peer: (1, peerPort))
        raw.bytes[92] = role
        if udp { raw.bytes[93] = 2 }
        configure(&raw)
        return raw.record!
    }

    @Test("a server's recv is c2s from the peer, its send s2c to the peer")
    func serverDirections() throws {
        var translator = CallTranslator()
        let accept = translator.translate(Self.record(4, 12, role: 2))
        let recv = translator.translate(Self.record(2, 6, result: 9, asked: 1024, role: 2))
        let send = translator.translate(Self.record(1, 1, result: 2, asked: 2, role: 2))
        #expect(accept.first?.kind == .accept && accept.first?.connection == 1)
        // accept: client (the peer) -> server (local)
        #expect(accept.first?.source == Endpoint("127.0.0.1:9000"))
        let read = try #require(recv.first)
        #expect(read.kind == .recv && read.direction == .clientToServer && read.length == 9 && read.bufferSize == 1024)
        #expect(read.source == Endpoint("127.0.0.1:9000") && read.destination == Endpoint("127.0.0.1:40000"))
        let write = try #require(send.first)
        #expect(write.direction == .serverToClient && write.source == Endpoint("127.0.0.1:40000"))
        #expect(read.leg == .app && write.connection == 1)
    }

    @Test("setsockopt words go on the socket's next call; a failed call is call=error with op, error, errno")
    func optionsAndErrors() throws {
        var translator = CallTranslator()
        let option = translator.translate(
            Self.record(7, 16) { raw in
                raw.put(Int32(6), at: 80)  // IPPROTO_TCP
                raw.put(Int32(1), at: 84)  // TCP_NODELAY
                raw.put(Int32(1), at: 88)
            })
        #expect(option.isEmpty)
        let connect = try #require(translator.translate(Self.record(3, 11)).first)
        #expect(connect.kind == .connect && connect.program?.options.noDelay == 1)
        let failed = try #require(
            translator.translate(Self.record(2, 6, result: -1, asked: 10) { $0.put(Int32(11), at: 68) }).first)
        #expect(failed.kind == .error && failed.failure?.operation == "recv")
        #expect(failed.failure?.errorNumber?.name == "EAGAIN" && failed.failure?.errorNumber?.code == 11)
        #expect(failed.length == nil && failed.offset == nil)
    }

    @Test("a socket that never carried a connection (a listener) leaves no close; others close once")
    func closes() {
        var translator = CallTranslator()
        #expect(translator.translate(Self.record(6, 15, socket: 5, role: 0)).isEmpty)
        _ = translator.translate(Self.record(3, 11, socket: 6))
        #expect(translator.translate(Self.record(6, 15, socket: 6)).map(\.kind) == [.close])
        #expect(translator.connectionCount == 1)
    }

    @Test("an unconnected UDP socket gets one connection per peer, offsets per peer; MSG_TRUNC counts the loss")
    func datagramPeers() throws {
        var translator = CallTranslator()
        let first = try #require(translator.translate(Self.record(2, 7, result: 5, asked: 8, role: 2, udp: true)).first)
        let other = try #require(
            translator.translate(Self.record(2, 7, result: 3, asked: 8, role: 2, udp: true, peerPort: 9001)).first)
        let truncated = try #require(
            translator.translate(
                Self.record(2, 7, result: 12, asked: 8, role: 2, udp: true) { $0.put(Int32(0x20), at: 72) }
            ).first)
        #expect(first.connection != other.connection && truncated.connection == first.connection)
        #expect(first.offset == 0 && other.offset == 0 && truncated.offset == 5)
        #expect(truncated.length == 8 && truncated.truncatedBytes == 4)
        #expect(truncated.program?.flags == .truncated)
        let closes = translator.translate(Self.record(6, 15, role: 2, udp: true))
        #expect(Set(closes.map(\.connection)) == [first.connection, other.connection])
    }
}
