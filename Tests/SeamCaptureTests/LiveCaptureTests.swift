import Foundation
import SeamCore
import Testing

@testable import SeamCapture

@Suite("LiveCapture", .enabled(if: CaptureTestSupport.canCaptureOnLoopback, "needs root or CAP_NET_RAW"))
struct LiveCaptureTests {
    static let toServer: [[UInt8]] = [Array("hello\n".utf8), Array("sticky packets?\n".utf8), [0, 1, 2, 255]]
    static let toClient: [[UInt8]] = [Array("HELLO\n".utf8), Array(repeating: 0x5a, count: 3000)]

    @Test("a loopback exchange arrives segment by segment with the exact payload of each direction")
    func loopbackExchange() throws {
        let exchange = try LoopbackExchange()
        let capture = try LiveCapture(interface: LiveCapture.loopbackInterfaceName, filter: "tcp port \(exchange.port)")
        #expect(capture.linkType == .ethernet)
        #expect(capture.snapLength == 262_144)
        let collector = CaptureTestSupport.Collector()
        let before = Timestamp.now()
        try capture.start { collector.add($0) }
        let client = try exchange.run(toServer: Self.toServer, toClient: Self.toClient)
        let statistics = capture.stop()
        let after = Timestamp.now()

        let packets = collector.packets
        let segments = packets.compactMap { TestFrames.tcpSegment(inEthernet: $0.data) }
        #expect(segments.count == packets.count, "every packet is Ethernet/IPv4/TCP")
        let c2s = segments.filter { $0.source == client && $0.destination == exchange.server }
        let s2c = segments.filter { $0.source == exchange.server && $0.destination == client }
        #expect(c2s.count + s2c.count == segments.count, "nothing but the exchange passed the filter")
        #expect(c2s.filter { !$0.payload.isEmpty }.map(\.payload) == Self.toServer)
        #expect(s2c.filter { !$0.payload.isEmpty }.map(\.payload) == Self.toClient)
        #expect(c2s.first?.flags == 0x02, "the capture started before the SYN")
        #expect(c2s.contains { $0.flags & 0x01 != 0 }, "the client's FIN is in the capture")

        #expect(statistics.delivered == UInt64(packets.count))
        #expect(statistics.received >= statistics.delivered)
        #expect(statistics.dropped == 0)
        #expect(statistics.interfaceDropped == 0)
        #expect(packets.allSatisfy { $0.originalLength == $0.data.count })
        let stamps = packets.map(\.timestamp)
        #expect(stamps == stamps.sorted(), "capture order is time order")
        #expect(stamps.allSatisfy { $0 >= before && $0 <= after }, "stamps are CLOCK_REALTIME, inside the test")
        #if os(Linux)
        #expect(capture.hasNanosecondTimestamps)
        #endif
        #expect(capture.failure == nil)
        #expect(!capture.isRunning)
    }

    @Test("stop() returns promptly when no packet comes, and twice gives the same statistics")
    func promptStop() throws {
        let capture = try LiveCapture(
            interface: LiveCapture.loopbackInterfaceName,
            filter: "tcp port 1 and host 127.0.0.254"
        )
        try capture.start { _ in Issue.record("no packet can pass this filter") }
        #expect(capture.isRunning)
        usleep(20_000)
        let started = Timestamp.now()
        let statistics = capture.stop()
        #expect(Timestamp.now().seconds(since: started) < 0.5)
        #expect(statistics.delivered == 0)
        #expect(capture.stop() == statistics)
    }

    @Test("stop() ends the drain even while traffic goes on and the consumer is slow")
    func stopUnderTraffic() throws {
        let receiver = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(receiver) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(receiver, $0, length) == 0 && getsockname(receiver, $0, &length) == 0
            }
        }
        try #require(bound)
        var configuration = CaptureConfiguration()
        configuration.queueCapacity = 16  // a slow consumer soon holds up the capture thread
        let capture = try LiveCapture(
            interface: LiveCapture.loopbackInterfaceName,
            filter: "udp port \(UInt16(bigEndian: address.sin_port))",
            configuration: configuration
        )
        let collector = CaptureTestSupport.Collector()
        try capture.start {
            collector.add($0)
            usleep(200)
        }
        let flooding = CaptureTestSupport.Flag()
        let finished = DispatchSemaphore(value: 0)
        let target = address
        Thread.detachNewThread {
            let sender = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            var target = target
            let payload = [UInt8](repeating: 7, count: 1200)
            let end = Timestamp.now().nanoseconds + 6_000_000_000  // a drain that never ends would outlast this
            while flooding.isSet && Timestamp.now().nanoseconds < end {
                _ = withUnsafePointer(to: &target) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        sendto(sender, payload, payload.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
            }
            close(sender)
            finished.signal()
        }
        usleep(200_000)
        let started = Timestamp.now()
        let statistics = capture.stop()
        let took = Timestamp.now().seconds(since: started)
        flooding.clear()
        finished.wait()
        #expect(took < 3, "stop took \(took) s under traffic")
        #expect(statistics.delivered > 0)
        #expect(statistics.delivered == UInt64(collector.packets.count))
    }

    @Test("the consumer may ask for the stop; waitUntilEnded sees the loop end")
    func stopFromConsumer() throws {
        let exchange = try LoopbackExchange()
        let capture = try LiveCapture(interface: LiveCapture.loopbackInterfaceName, filter: "tcp port \(exchange.port)")
        let collector = CaptureTestSupport.Collector()
        try capture.start { [capture] packet in
            collector.add(packet)
            capture.requestStop()
        }
        try exchange.run(toServer: [Array("x".utf8)], toClient: [])
        #expect(capture.waitUntilEnded(milliseconds: 2_000))
        let statistics = capture.stop()
        #expect(collector.packets.count >= 1)
        #expect(statistics.delivered == UInt64(collector.packets.count))
    }

    @Test("a missing interface names itself and the ones that exist")
    func noSuchInterface() {
        do {
            _ = try LiveCapture(interface: "eth9")
            Issue.record("eth9 opened")
        } catch {
            guard case .noSuchInterface(let name, let available) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(name == "eth9")
            #expect(available.contains(LiveCapture.loopbackInterfaceName))
            #expect(error.description.hasPrefix("capture: no such interface \"eth9\" (available: lo"))
        }
        #expect(LiveCapture.captureProblem(interface: "eth9").map { "\($0)" }?.contains("no such interface") == true)
    }

    @Test("an interface that is down says so")
    func interfaceDown() throws {
        let kernelInterfaces = Set(LiveCapture.availableInterfaces())
        guard let down = LocalDevice.all().first(where: { !$0.isUp && kernelInterfaces.contains($0.name) }) else {
            print("skipping the interface-down test: every interface is up")
            return
        }
        #expect(throws: CaptureError.interfaceDown(name: down.name)) {
            try LiveCapture(interface: down.name)
        }
    }

    @Test("a bad filter on a live interface fails with libpcap's text")
    func badFilter() {
        #expect(throws: CaptureError.badFilter(expression: "tcp prt 80", reason: "syntax error")) {
            try LiveCapture(interface: LiveCapture.loopbackInterfaceName, filter: "tcp prt 80")
        }
    }

    @Test("the privilege probe says yes as root")
    func privilegeProbe() {
        #expect(LiveCapture.canCapture(interface: LiveCapture.loopbackInterfaceName))
        #expect(LiveCapture.captureProblem(interface: LiveCapture.loopbackInterfaceName) == nil)
    }
}
