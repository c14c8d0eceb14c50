import SeamCore
import Testing

@testable import SeamTrace

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Real programs, traced as a user would: dig over UDP (sendmmsg through syscall()) and TCP, nginx with
/// `sendfile on` serving curl. Each test runs when its programs are installed and says so otherwise.
@Suite("Real programs", .serialized)
struct RealProgramsTests {
    static let hasDig = TraceTestSupport.hasTool("dig") && TraceTestSupport.hasTool("python3")
    static let hasNginx = TraceTestSupport.hasTool("nginx") && TraceTestSupport.hasTool("curl")

    static func shape(_ calls: [SessionCall]) -> [String] { ProgramTracerTests.shape(calls) }

    @Test("dig over UDP and over TCP: the query and the answer", .enabled(if: hasDig, "needs dig and python3"), arguments: [false, true])
    func dig(tcp: Bool) throws {
        let server = try TraceTestSupport.background(
            ["python3", TraceTestSupport.fixtures + "/tiny_dns.py"],
            name: "dns\(tcp)"
        )
        defer { server.finish() }
        let port = try #require(try server.firstLine(), "tiny_dns.py did not start")
        let arguments =
            (tcp ? ["+tcp"] : []) + ["+short", "+tries=1", "+time=3", "-p", port, "@127.0.0.1", "example.com"]
        let (outcome, calls) = try TraceTestSupport.trace("dig", arguments, name: "dig\(tcp)")
        #expect(outcome.exitStatus == 0 && outcome.untraced.isEmpty)
        let flow = calls.filter { $0.destination?.port == UInt16(port) || $0.source?.port == UInt16(port) }
        let sends = flow.filter { $0.kind == .send }
        let recvs = flow.filter { $0.kind == .recv && ($0.length ?? 0) > 0 }
        #expect(sends.count == 1 && recvs.count >= 1, "\(Self.shape(flow))")
        #expect(flow.allSatisfy { $0.transport == (tcp ? .tcp : .udp) && $0.program?.command == "dig" })
        if tcp {
            // A DNS message over TCP: a 2-byte length, then the query.
            let query = try #require(sends.first)
            #expect(query.payload.map { Int($0[0]) << 8 | Int($0[1]) } == (query.length ?? 0) - 2)
        } else {
            #expect(sends.first?.program?.function == "sendmmsg" && sends.first?.program?.batch?.count == 1)
        }
    }

    @Test(
        "nginx with sendfile on: one sendfile of the whole file, counted without payload; curl reads it all",
        .enabled(if: hasNginx, "needs nginx and curl")
    )
    func nginxSendfile() throws {
        let root = TraceTestSupport.temporaryPath("nginx")
        let html = root + "/html"
        for folder in [root, html, root + "/logs"] { mkdir(folder, 0o755) }
        defer { _ = try? TraceTestSupport.run(["rm", "-rf", root], name: "rm") }
        let body = [UInt8](repeating: UInt8(ascii: "n"), count: 300_000)
        let file = open(html + "/big.bin", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        _ = body.withUnsafeBytes { write(file, $0.baseAddress, $0.count) }
        close(file)
        // A free port: bind port 0, read it, close (nginx binds it a moment later).
        let probe = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(probe, pointer, length)
                return getsockname(probe, pointer, &length)
            }
        }
        let port = UInt16(bigEndian: address.sin_port)
        close(probe)
        let configuration = """
            worker_processes 1; daemon off; error_log \(root)/logs/error.log; pid \(root)/nginx.pid;
            events { worker_connections 16; }
            http { access_log off; sendfile on; client_body_temp_path \(root)/body; proxy_temp_path \(root)/proxy;
              fastcgi_temp_path \(root)/fcgi; uwsgi_temp_path \(root)/uwsgi; scgi_temp_path \(root)/scgi;
              server { listen 127.0.0.1:\(port); root \(html); } }
            """
        let conf = open(root + "/nginx.conf", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        _ = configuration.withCString { write(conf, $0, strlen($0)) }
        close(conf)
        let script = """
            nginx -p \(root) -c \(root)/nginx.conf & server=$!
            for i in $(seq 100); do curl -s -o /dev/null http://127.0.0.1:\(port)/ && break; sleep 0.05; done
            curl -s -o \(root)/out.bin http://127.0.0.1:\(port)/big.bin; status=$?; kill $server; wait; exit $status
            """
        let (outcome, calls) = try TraceTestSupport.trace("sh", ["-c", script], payload: false)
        #expect(outcome.exitStatus == 0 && outcome.untraced.isEmpty)
        let sendfile = try #require(calls.first { $0.program?.function == "sendfile" }, "\(Self.shape(calls))")
        #expect(sendfile.length == 300_000 && sendfile.program?.dataPath == .kernel)
        #expect(sendfile.program?.command == "nginx" && sendfile.direction == .serverToClient)
        // curl's reads of that connection add up to the headers and the 300 000 bytes nginx sent.
        let connection = calls.filter {
            $0.kind == .recv && $0.program?.command == "curl" && $0.source == sendfile.source
                && $0.destination == sendfile.destination
        }
        let served = calls.filter {
            $0.kind == .send && $0.connection == sendfile.connection
        }.compactMap(\.length).reduce(0, +)
        #expect(connection.compactMap(\.length).reduce(0, +) == served && served > 300_000)
        #expect(try TraceTestSupport.contents(root + "/out.bin").utf8.count == 300_000)
    }
}
