import Foundation

/// Counts a tshark field's occurrences per TCP flow and direction, with reassembly on (what the framing
/// tests compare Seam's message counts with).
enum TsharkCounts {
    /// `tcp.N` → (c2s, s2c) occurrences of `field` (`resp`, `memcache`: that protocol's PDUs). The client is the
    /// SYN's sender, or the higher port without a SYN, as Seam decides.
    static func perDirection(_ file: String, field: String, arguments: [String] = []) throws -> [String: (Int, Int)] {
        let parts = field.split(separator: "+").map(String.init)
        if parts.count > 1 {
            var sum: [String: (Int, Int)] = [:]
            for part in parts {
                for (flow, pair) in try perDirection(file, field: part, arguments: arguments) {
                    let before = sum[flow] ?? (0, 0)
                    sum[flow] = (before.0 + pair.0, before.1 + pair.1)
                }
            }
            return sum
        }
        let isProtocol = !field.contains(".")
        let base =
            [
                "-r", file, "-2", "-o", "tcp.desegment_tcp_streams:TRUE", "-o", "tcp.reassemble_out_of_order:TRUE",
            ] + arguments
        let columns = ["tcp.stream", "tcp.srcport", "tcp.dstport", "tcp.flags.syn", "tcp.flags.ack"]
        let fields = columns + (isProtocol ? [] : [field])
        let output = try Tshark.run(
            Tshark.path!,
            base + ["-T", "fields", "-E", "separator=\t", "-E", "occurrence=a", "-E", "aggregator=,"]
                + fields.flatMap { ["-e", $0] }
        )
        var clients: [Int: String] = [:]
        var counts: [String: (Int, Int)] = [:]
        var perFrame: [Int] = []
        if isProtocol { perFrame = try protocolCounts(base, name: field) }
        for (index, line) in String(decoding: output, as: UTF8.self).split(separator: "\n").enumerated() {
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard parts.count >= 5, let stream = Int(parts[0].split(separator: ",").first ?? "") else { continue }
            let source = String(parts[1].split(separator: ",").first ?? "")
            let destination = String(parts[2].split(separator: ",").first ?? "")
            let syn = parts[3].hasPrefix("1") || parts[3].hasPrefix("True")
            let ack = parts[4].hasPrefix("1") || parts[4].hasPrefix("True")
            if clients[stream] == nil {
                if syn && !ack {
                    clients[stream] = source
                } else if syn && ack {
                    clients[stream] = destination
                } else {
                    clients[stream] = (Int(source) ?? 0) >= (Int(destination) ?? 0) ? source : destination
                }
            }
            let occurrences: Int
            if isProtocol {
                occurrences = index < perFrame.count ? perFrame[index] : 0
            } else {
                occurrences = parts.count > 5 ? parts[5].split(separator: ",").count : 0
            }
            let key = "tcp.\(stream)"
            var pair = counts[key] ?? (0, 0)
            if source == clients[stream] { pair.0 += occurrences } else { pair.1 += occurrences }
            counts[key] = pair
        }
        return counts
    }

    /// Per frame, how many PDUs of protocol `name` tshark's JSON shows (`"resp": {` …; `-j` keeps it small).
    private static func protocolCounts(_ base: [String], name: String) throws -> [Int] {
        let json = String(decoding: try Tshark.run(Tshark.path!, base + ["-T", "json", "-j", name]), as: UTF8.self)
        return json.components(separatedBy: "\"_index\"").dropFirst().map { packet in
            packet.components(separatedBy: "\"\(name)\": {").count - 1
        }
    }
}
