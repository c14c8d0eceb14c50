import SeamCore
import Testing

@testable import SeamCapture

@Suite("LiveCapture.proxyFilter")
struct LiveCaptureProxyFilterTests {
    @Test("the filter names both endpoints, address and port together")
    func text() {
        let filter = LiveCapture.proxyFilter(
            listen: Endpoint("127.0.0.1:8081")!,
            upstream: Endpoint("127.0.0.1:8080")!,
            udp: false
        )
        #expect(
            filter == "tcp and ((dst host 127.0.0.1 and dst port 8081) or (src host 127.0.0.1 and src port 8081)"
                + " or (dst host 127.0.0.1 and dst port 8080) or (src host 127.0.0.1 and src port 8080))"
        )
        let udp = LiveCapture.proxyFilter(listen: Endpoint("[::1]:53")!, upstream: Endpoint("[::1]:5353")!, udp: true)
        #expect(udp.hasPrefix("udp and ((dst host ::1 and dst port 53)"))
    }

    /// A frame, and whether the proxy's capture must keep it.
    struct Case: Sendable, CustomTestStringConvertible {
        var from: String
        var to: String
        var udp = false
        var kept: Bool
        var why: String
        var testDescription: String { "\(from) → \(to)\(udp ? " udp" : ""): \(kept ? "kept" : "left out") (\(why))" }
    }

    static let loopbackCases: [Case] = [
        Case(from: "127.0.0.1:50000", to: "127.0.0.1:8081", kept: true, why: "downstream, client to proxy"),
        Case(from: "127.0.0.1:8081", to: "127.0.0.1:50000", kept: true, why: "downstream, proxy to client"),
        Case(from: "127.0.0.1:50001", to: "127.0.0.1:8080", kept: true, why: "upstream, proxy to server"),
        Case(from: "127.0.0.1:8080", to: "127.0.0.1:50001", kept: true, why: "upstream, server to proxy"),
        Case(from: "127.0.0.1:50000", to: "127.0.0.1:8081", udp: true, kept: false, why: "UDP to a TCP proxy"),
        Case(from: "127.0.0.2:50000", to: "127.0.0.3:8081", kept: false, why: "the port on another address"),
        Case(from: "127.0.0.1:40000", to: "127.0.0.1:22", kept: false, why: "another service"),
        Case(from: "10.0.0.5:8080", to: "10.0.0.6:1234", kept: false, why: "source port 8080 of another host"),
        Case(from: "127.0.0.1:50000", to: "127.0.0.9:8080", kept: false, why: "the upstream port elsewhere"),
        Case(from: "[::1]:50000", to: "[::1]:8081", kept: false, why: "IPv6 ::1 is not 127.0.0.1"),
    ]

    @Test("IPv4 loopback proxy 127.0.0.1:8081 → 127.0.0.1:8080", arguments: loopbackCases)
    func loopback(_ testCase: Case) throws {
        let filter = LiveCapture.proxyFilter(
            listen: Endpoint("127.0.0.1:8081")!,
            upstream: Endpoint("127.0.0.1:8080")!,
            udp: false
        )
        try expect(filter, testCase)
    }

    static let ipv6Cases: [Case] = [
        Case(from: "[::1]:50000", to: "[::1]:8081", udp: true, kept: true, why: "downstream, client to proxy"),
        Case(from: "[::1]:8081", to: "[::1]:50000", udp: true, kept: true, why: "downstream, proxy to client"),
        Case(from: "127.0.0.1:50001", to: "127.0.0.1:9000", udp: true, kept: true, why: "upstream on IPv4"),
        Case(from: "127.0.0.1:9000", to: "127.0.0.1:50001", udp: true, kept: true, why: "upstream reply"),
        Case(from: "[::1]:50000", to: "[::1]:8081", kept: false, why: "TCP to a UDP proxy"),
        Case(from: "127.0.0.1:50000", to: "127.0.0.1:8081", udp: true, kept: false, why: "listen port on IPv4"),
        Case(from: "[::1]:50001", to: "[::1]:9000", udp: true, kept: false, why: "server port on IPv6"),
        Case(from: "[fd00::2]:8081", to: "[fd00::3]:50000", udp: true, kept: false, why: "listen port elsewhere"),
    ]

    @Test("UDP proxy listening on [::1]:8081, upstream 127.0.0.1:9000", arguments: ipv6Cases)
    func ipv6(_ testCase: Case) throws {
        let filter = LiveCapture.proxyFilter(
            listen: Endpoint("[::1]:8081")!,
            upstream: Endpoint("127.0.0.1:9000")!,
            udp: true
        )
        try expect(filter, testCase)
    }

    static let wildcardCases: [Case] = [
        Case(from: "192.0.2.9:50000", to: "192.0.2.2:8081", kept: true, why: "any address of the listener"),
        Case(from: "[fd00::9]:50000", to: "[fd00::2]:8081", kept: true, why: "IPv6 to the listener"),
        Case(from: "192.0.2.2:50001", to: "192.0.2.7:443", kept: true, why: "upstream"),
        Case(from: "192.0.2.2:50001", to: "192.0.2.8:443", kept: false, why: "port 443 of another server"),
    ]

    @Test("a wildcard listener 0.0.0.0:8081 keeps its port on every address", arguments: wildcardCases)
    func wildcard(_ testCase: Case) throws {
        let filter = LiveCapture.proxyFilter(
            listen: Endpoint("0.0.0.0:8081")!,
            upstream: Endpoint("192.0.2.7:443")!,
            udp: false
        )
        try expect(filter, testCase)
    }

    private func expect(_ filter: String, _ testCase: Case) throws {
        let program = try BPFProgram(filter, linkType: .ethernet)
        let frame = TestFrames.frame(
            from: try #require(Endpoint(testCase.from)),
            to: try #require(Endpoint(testCase.to)),
            udp: testCase.udp,
            payload: Array("hello".utf8)
        )
        #expect(program.matches(frame) == testCase.kept, "\(filter)")
    }
}
