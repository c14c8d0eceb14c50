import CSeamWatch
import SeamCore
import Testing

@testable import SeamWatch

@Suite struct WatchEventTests {
    @Test func decodesEveryField() throws {
        var raw = RawEvent(.sendto, way: .send, result: 5, asked: 5, sequence: 1001).with(payload: Array("hello".utf8))
        raw.raw.flags = 0x8000
        raw.raw.details |= UInt32(SEAM_DETAIL_ADDRESS_GIVEN.rawValue)
        let event = try #require(raw.event)
        #expect(event.syscall == .sendto && event.way == .send)
        #expect(event.result == 5 && event.asked == 5 && event.flags == 0x8000)
        #expect(event.payload == Array("hello".utf8) && event.uncopied == 0)
        #expect(event.local == Endpoint("127.0.0.1:40000") && event.peer == Endpoint("127.0.0.1:9000"))
        #expect(event.tcp?.sequence == 1001 && event.tcp?.mss == 65483 && event.tcp?.unsent == 3)
        #expect(event.command == "python3" && event.pid == 4242 && event.tid == 4243)
        #expect(event.details.contains(.addressGiven))
        #expect(event.transport == .tcp)
    }

    @Test func anUnknownAskedIsNil() throws {
        let event = try #require(RawEvent(.connect).event)
        #expect(event.asked == nil && event.payload.isEmpty)
    }

    @Test func mappedAndPlainIPv6Addresses() throws {
        var raw = RawEvent(.write, way: .send, result: 1)
        raw.raw.family = 10
        let mapped: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 10, 0, 0, 7]
        let loopback: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]
        withUnsafeMutableBytes(of: &raw.raw.local_addr) { $0.copyBytes(from: mapped) }
        withUnsafeMutableBytes(of: &raw.raw.peer_addr) { $0.copyBytes(from: loopback) }
        let event = try #require(raw.event)
        #expect(event.local == Endpoint("10.0.0.7:40000"))
        #expect(event.peer?.address == IPAddress("::1"))
    }

    @Test func portZeroIsNoEndpoint() throws {
        let event = try #require(RawEvent(.close, local: 5353, peer: 0, udp: true).event)
        #expect(event.peer == nil && event.local?.port == 5353 && event.tcp == nil && event.transport == .udp)
    }

    @Test func rejectsShortSamplesUnknownCallsAndLyingLengths() {
        let good = RawEvent(.read, way: .recv, result: 3).with(payload: [1, 2, 3])
        #expect(good.event != nil)
        #expect(Array(good.sample.prefix(100)).withUnsafeBytes { WatchEvent($0) } == nil)
        var unknown = good
        unknown.raw.syscall = 99
        #expect(unknown.event == nil)
        var lying = good
        lying.raw.payload_length = 4
        #expect(lying.event == nil)
    }

    @Test func theLayoutIsTheDocumentedOne() {
        #expect(MemoryLayout<seam_watch_event>.size == 168)
        #expect(MemoryLayout<seam_watch_event>.offset(of: \seam_watch_event.comm) == 152)
    }
}
