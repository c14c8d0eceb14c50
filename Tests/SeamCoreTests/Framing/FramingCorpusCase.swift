import SeamTestSupport

@testable import SeamCore

/// One capture (of the shared corpus, or recorded from a real server under Tests/Fixtures/framing) with the
/// message counts tshark's own dissector gives per flow and direction (TShark 4.0.17, `-2 -o
/// tcp.desegment_tcp_streams:TRUE -o tcp.reassemble_out_of_order:TRUE`, occurrences of `field` counted per
/// frame), and the framing that detection must pick.
struct FramingCorpusCase: Sendable, CustomStringConvertible {
    /// Where the file is.
    enum Location: Sendable {
        case corpus
        case fixtures
    }

    /// Which of Seam's messages tshark's field counts.
    enum Counting: Sendable {
        /// Every message.
        case all
        /// Messages whose summary does not start with one of these (a handshake head, the HTTP/2 preface).
        case excluding([String])
        /// Messages whose summary starts with this (gRPC messages among HTTP/2 frames).
        case only(String)

        /// The complete messages it counts (tshark counts no PDU that the capture does not hold whole).
        func count(_ all: [FramedMessage]) -> Int {
            let messages = all.filter(\.isComplete)
            switch self {
            case .all: return messages.count
            case .excluding(let prefixes):
                return messages.count { message in
                    !prefixes.contains { message.summary?.hasPrefix($0) == true }
                }
            case .only(let prefix): return messages.count { $0.summary?.hasPrefix(prefix) == true }
            }
        }
    }

    var file: String
    var location = Location.corpus
    var spec: FramingSpec
    /// tshark's field (`A+B`: the sum of both; a bare name such as `resp`: that protocol's PDUs), and the
    /// arguments it needs beside the reassembly options (decode-as).
    var field: String
    var tsharkArguments: [String] = []
    /// The dissector for the flows' server port (recorded servers listen on a port of their own).
    var decodeAs: String?
    var counting: Counting = .all
    /// tshark's counts per flow (`tcp.N`): c2s, s2c.
    var tshark: [String: (Int, Int)]
    /// Seam's counts where they differ from tshark's and the bytes prove Seam right, with why.
    var seam: [String: (Int, Int)] = [:]
    var difference: String?
    /// Flows left out of the comparison, with why (a reassembly difference, not a framing one).
    var skipped: Set<String> = []
    var skippedBecause: String?
    /// Summed over the flows compared instead of listed per flow (for many flows).
    var totals = false
    /// Only flows to this server port are compared (a capture with other protocols beside).
    var serverPort: UInt16?
    /// What detection must pick for both directions of the compared flows that have bytes.
    var picks: FramingSpec?

    var description: String { "\(file) (\(spec))" }

    /// The file's path, found from the package root.
    var path: String {
        switch location {
        case .corpus: return PackageRoot.corpus + file
        case .fixtures: return PackageRoot.path + "/Tests/Fixtures/framing/" + file
        }
    }

    /// Whether flow `id` of `capture` is compared: not skipped, and to `serverPort` if one is set.
    func compares(_ id: FlowID, _ capture: FramedCapture) -> Bool {
        guard !skipped.contains(id.description), let flow = capture.flows[id] else { return false }
        return serverPort.map { flow.server.port == $0 } ?? true
    }

    static let handshakeHeads = ["GET ", "HTTP/1.1 "]
    static let http2Heads = ["preface", "GET ", "HTTP/1.1 "]
}
