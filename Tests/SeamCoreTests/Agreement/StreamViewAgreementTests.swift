import Foundation
import Testing

@testable import SeamCore

/// `seam inspect --stream --as ascii|hex|yaml` against `tshark -q -z follow,PROTO,FORMAT,N` on corpus captures:
/// with Seam's chunk headings taken out (or turned back into Follow's length lines), the body is tshark's, byte
/// for byte; YAML entries carry the same frames, peers, timestamps and data. Holes, where tshark writes its
/// marker into the data, are compared on the bytes after them.
@Suite struct StreamViewAgreementTests {
    /// Streams whose Node 0 is the client and that have no hole: every line must be tshark's.
    static let cases: [(file: String, flow: String)] = [
        ("tcpdump--dns_tcp.pcap", "tcp.0"), ("suricata-smtp-pipelining--input.pcap", "tcp.0"),
        ("pcpp--one_http_stream_rst.pcap", "tcp.0"), ("dpkt--http.pcap", "tcp.0"),
        ("gopacket--test_dns.pcap", "udp.0"), ("packets--tcp_retransmissions.pcapng", "tcp.0"),
        ("pcpp--four_ipv6_http_streams.pcap", "tcp.2"), ("suricata-eve-overlap-payload-04--tcp-overlap2.pcap", "tcp.0"),
        ("zeek--206_example_b.pcap", "tcp.0"), ("packets--http_espn.pcapng", "tcp.2"),
        ("packets--http_espn.pcapng", "udp.1"),
    ]

    static var skipReason: String? {
        if !Tshark.isAvailable { return "tshark is not installed (apt-get install tshark)" }
        return TestCorpus.missingReason
    }

    /// Seam's view of one flow of a capture, both directions.
    static func seam(_ file: String, _ flow: String, _ format: StreamViewFormat) throws -> String {
        var view = format.makeView()
        var out: [UInt8] = []
        let follower = StreamFollower(
            flow: FlowID(flow)!,
            directions: .both,
            onStart: { out += view.begin($0, directions: .both) },
            onChunk: { out += view.render($0) }
        )
        let scanner = try CaptureScanner(path: TestCorpus.path(file), table: FlowTable(consumers: [follower]))
        scanner.run()
        out += view.end()
        return String(decoding: out, as: UTF8.self)
    }

    /// tshark's Follow output for one flow, the lines between its node lines and its closing rule.
    static func tshark(_ file: String, _ flow: String, _ format: String) throws -> String {
        let id = FlowID(flow)!
        let text = String(
            decoding: try Tshark.run(
                Tshark.path!,
                ["-r", TestCorpus.path(file), "-q", "-z", "follow,\(id.proto.rawValue),\(format),\(id.index)"]
            ),
            as: UTF8.self
        )
        if format == "yaml" { return text }
        var lines = Self.lines(text)
        guard let node1 = lines.firstIndex(where: { $0.hasPrefix("Node 1: ") }) else { return "" }
        lines = Array(lines[(node1 + 1)...])
        if let rule = lines.lastIndex(where: { $0.hasPrefix("=====") }) { lines = Array(lines[..<rule]) }
        return lines.joined(separator: "\n")
    }

    /// Seam's text view with its header and footer taken off and each chunk heading replaced by `replace`.
    static func body(_ text: String, replace: (String, String) -> String?) -> String {
        var lines = Self.lines(text)
        if let node1 = lines.firstIndex(where: { $0.hasPrefix("Node 1: ") }) { lines = Array(lines[(node1 + 1)...]) }
        if let rule = lines.lastIndex(where: { $0.hasPrefix("=====") }) { lines = Array(lines[..<rule]) }
        let heading = /^(\t?)(c2s|s2c)( datagram #\d+)? \[\d+, \d+\) (\d+) bytes?.*$/
        return lines.compactMap { line in
            if let match = line.wholeMatch(of: heading) { return replace(String(match.1), String(match.4)) }
            return line
        }.joined(separator: "\n")
    }

    /// The lines of a text split at each LF byte (String's own splitting keeps CR LF together as one
    /// character, and Follow's data often ends in CR right before the next chunk's line).
    static func lines(_ text: String) -> [String] {
        text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Where two texts first differ, for a readable failure: the line number and both lines.
    static func firstDifference(_ a: String, _ b: String) -> String {
        let x = lines(a)
        let y = lines(b)
        for i in 0..<max(x.count, y.count) where i >= x.count || i >= y.count || x[i] != y[i] {
            let mine = i < x.count ? x[i].debugDescription : "(end)"
            let theirs = i < y.count ? y[i].debugDescription : "(end)"
            return "line \(i + 1): seam \(mine), tshark \(theirs)"
        }
        return "none"
    }

    @Test(arguments: cases)
    func hexIsTsharksHexDump(_ file: String, _ flow: String) throws {
        if let reason = Self.skipReason { print("skipped: \(reason)"); return }
        let mine = Self.body(try Self.seam(file, flow, .hex)) { _, _ in nil }
        let theirs = try Self.tshark(file, flow, "hex")
        #expect(!theirs.isEmpty)
        #expect(mine == theirs, "\(file) \(flow): \(Self.firstDifference(mine, theirs))")
    }

    @Test(arguments: cases)
    func asciiIsTsharksText(_ file: String, _ flow: String) throws {
        if let reason = Self.skipReason { print("skipped: \(reason)"); return }
        // Follow's ASCII view heads each chunk by its length alone, indented for Node 1.
        let mine = Self.body(try Self.seam(file, flow, .ascii)) { indent, length in indent + length }
        let theirs = try Self.tshark(file, flow, "ascii")
        #expect(!theirs.isEmpty)
        #expect(mine == theirs, "\(file) \(flow): \(Self.firstDifference(mine, theirs))")
    }

    /// One YAML chunk entry, with the fields tshark writes. Timestamps agree to the microsecond: tshark goes
    /// through a double, so a microsecond capture's `.847323` comes out as `.847322941`.
    struct Entry: Equatable {
        var packet = ""
        var peer = ""
        var timestamp = ""
        var data = ""

        static func == (a: Entry, b: Entry) -> Bool {
            guard let x = Double(a.timestamp), let y = Double(b.timestamp), abs(x - y) < 1e-6 else { return false }
            return a.packet == b.packet && a.peer == b.peer && a.data == b.data
        }
    }

    /// The entries of `packets:`, each begun by a `  - ` line (a hole's entry has no `packet` and no data).
    static func entries(_ yaml: String) -> [Entry] {
        guard let start = yaml.range(of: "\npackets:\n") else { return [] }
        var entries: [Entry] = []
        var inData = false
        for line in lines(String(yaml[start.upperBound...])) {
            if line.hasPrefix("  - ") { entries.append(Entry()) }
            guard !entries.isEmpty else { continue }
            let field = line.dropFirst(4)
            if inData && line.hasPrefix("      ") {
                entries[entries.count - 1].data += line.dropFirst(6)
                continue
            }
            inData = false
            if field.hasPrefix("packet: ") {
                entries[entries.count - 1].packet = String(field.dropFirst(8))
            } else if field.hasPrefix("peer: ") {
                entries[entries.count - 1].peer = String(field.dropFirst(6))
            } else if field.hasPrefix("timestamp: ") {
                entries[entries.count - 1].timestamp = String(field.dropFirst(11))
            } else if field.hasPrefix("data: ") {
                inData = true
            }
        }
        return entries
    }

    @Test(arguments: cases)
    func yamlHasTsharksEntries(_ file: String, _ flow: String) throws {
        if let reason = Self.skipReason { print("skipped: \(reason)"); return }
        let mine = Self.entries(try Self.seam(file, flow, .yaml))
        let theirs = Self.entries(try Self.tshark(file, flow, "yaml"))
        #expect(!theirs.isEmpty)
        #expect(mine == theirs, "\(file) \(flow)")
    }

    /// A capture with a hole the server's peer acknowledged: Seam names it where tshark puts its marker, and
    /// the bytes after it are tshark's.
    @Test func holesAreNamedAsFollowNamesThem() throws {
        if let reason = Self.skipReason { print("skipped: \(reason)"); return }
        let file = "zeek--content-range-gap.pcap"
        let ascii = try Self.seam(file, "tcp.0", .ascii)
        #expect(ascii.contains("[1380 bytes missing in capture file]"))
        #expect(try Self.tshark(file, "tcp.0", "ascii").contains("[1380 bytes missing in capture file]"))
        let yaml = try Self.seam(file, "tcp.0", .yaml)
        #expect(yaml.contains("missing: 1380  # [1380 bytes missing in capture file]"))
        let mine = Self.entries(yaml)
        #expect(mine.filter { $0.data.isEmpty }.count == 1, "one hole entry, without data")
        // tshark's entries, less its marker entry, are Seam's (same frames, times and bytes).
        let marker = Base64.encode(Array("[1380 bytes missing in capture file]".utf8) + [0])
        let theirs = Self.entries(try Self.tshark(file, "tcp.0", "yaml")).filter {
            $0.data != String(decoding: marker, as: UTF8.self)
        }
        #expect(theirs.count == 9, "tshark: 10 entries, one of them its marker")
        #expect(mine.filter { !$0.data.isEmpty } == theirs)
    }
}
