import Foundation

/// Runs tshark and reads what it says about a capture, for agreement tests.
enum Tshark {
    static let path: String? = ["/usr/bin/tshark", "/usr/local/bin/tshark"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    static var isAvailable: Bool { path != nil }

    /// Runs a program and returns its standard output (standard error discarded).
    static func run(_ executable: String, _ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return data
    }

    /// `tshark -r FILE -T fields -e …`, one array of columns per frame (a bare name is a corpus file).
    static func fields(_ file: String, _ fields: [String], extra: [String] = []) throws -> [[String]] {
        let arguments =
            ["-r", file.hasPrefix("/") ? file : TestPcap.corpus + file, "-T", "fields", "-E", "separator=/t"]
            + extra + fields.flatMap { ["-e", $0] }
        return String(decoding: try run(path!, arguments), as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: true)
            .map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }

    /// Every `tcp.stream` and `udp.stream` value tshark assigns, with each TCP stream's payload length.
    static func streams(_ file: String) throws -> (tcp: Set<Int>, udp: Set<Int>, tcpWithData: Set<Int>) {
        let text = String(
            decoding: try run(path!, ["-r", file, "-T", "fields", "-e", "tcp.stream", "-e", "udp.stream", "-e", "tcp.len"]),
            as: UTF8.self)
        var tcp = Set<Int>()
        var udp = Set<Int>()
        var withData = Set<Int>()
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            // Inner headers of ICMP errors add comma-separated values: the first one is the packet's own.
            if fields.count > 0, let first = fields[0].split(separator: ",").first, let n = Int(first) {
                tcp.insert(n)
                if fields.count > 2, let len = fields[2].split(separator: ",").first.flatMap({ Int($0) }), len > 0 {
                    withData.insert(n)
                }
            }
            if fields.count > 1, let first = fields[1].split(separator: ",").first, let n = Int(first) { udp.insert(n) }
        }
        return (tcp, udp, withData)
    }

    /// One followed TCP stream: the two nodes and the raw bytes Follow shows for each, as it writes them:
    /// a hole the peer acknowledged is the marker `[N bytes missing in capture file]` and a NUL byte, in place.
    struct FollowedStream {
        var node0 = ""
        var node1 = ""
        var fromNode0: [UInt8] = []
        var fromNode1: [UInt8] = []
        /// The missing-bytes markers among the chunks.
        var markers = 0
    }

    /// `tshark -q -z follow,tcp,raw,N` for many streams in one pass (200 streams a run), tshark's defaults.
    static func follow(_ file: String, streams: [Int], options: [String] = []) throws -> [Int: FollowedStream] {
        var result: [Int: FollowedStream] = [:]
        for chunk in stride(from: 0, to: streams.count, by: 200) {
            let ids = streams[chunk..<min(chunk + 200, streams.count)]
            var arguments = ["-r", file, "-q"] + options
            for id in ids { arguments += ["-z", "follow,tcp,raw,\(id)"] }
            let text = String(decoding: try run(path!, arguments), as: UTF8.self)
            var current: Int?
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("Filter: tcp.stream eq ") {
                    current = Int(line.dropFirst("Filter: tcp.stream eq ".count))
                    if let current { result[current] = FollowedStream() }
                } else if let id = current, line.hasPrefix("Node 0: ") {
                    result[id]?.node0 = String(line.dropFirst(8))
                } else if let id = current, line.hasPrefix("Node 1: ") {
                    result[id]?.node1 = String(line.dropFirst(8))
                } else if let id = current, !line.isEmpty, !line.hasPrefix("="), !line.hasPrefix("Follow:") {
                    let fromNode1 = line.hasPrefix("\t")
                    let bytes = hexBytes(line.drop { $0 == "\t" })
                    if isMissingMarker(bytes) { result[id]?.markers += 1 }
                    if fromNode1 { result[id]?.fromNode1 += bytes } else { result[id]?.fromNode0 += bytes }
                }
            }
        }
        return result
    }

    static func hexBytes(_ text: Substring) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count / 2)
        var high: UInt8?
        for c in text.utf8 {
            let v: UInt8
            switch c {
            case 48...57: v = c - 48
            case 97...102: v = c - 87
            case 65...70: v = c - 55
            default: continue
            }
            if let h = high {
                bytes.append(h << 4 | v)
                high = nil
            } else {
                high = v
            }
        }
        return bytes
    }

    static func isMissingMarker(_ bytes: [UInt8]) -> Bool {
        guard bytes.last == 0, bytes.first == UInt8(ascii: "[") else { return false }
        let text = String(decoding: bytes.dropLast(), as: UTF8.self)
        return text.hasSuffix(" bytes missing in capture file]")
    }
}
