import ArgumentParser
import SeamCore

/// `seam inspect FILE`: the flows of a capture with their reassembly facts, one flow's bytes, or its segments.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the TCP and UDP flows of a pcap or pcapng file, with reassembly facts.",
        discussion: """
            Flow ids follow Wireshark: tcp.3 is `tcp.stream eq 3`, udp.0 is `udp.stream eq 0`.
            --stream shows one flow as Wireshark's Follow Stream does (tshark -z follow,tcp,FORMAT): each chunk \
            as it arrived, with its direction, its byte range on the direction's axis, its frame and time; with \
            --dir both (the default) the two directions interleave in arrival order, s2c indented. Holes are \
            "[N bytes missing in capture file]".
            Examples:
              seam inspect capture.pcapng
              seam inspect capture.pcap --stream tcp.0 --as hex
              seam inspect capture.pcap --stream tcp.0 --dir c2s --as raw > request.bin
              seam inspect capture.pcap --segments tcp.0
              tcpdump -i lo -w - port 9000 | seam inspect -
            """
    )

    @Argument(help: "A pcap or pcapng file, or - for standard input.")
    var file: String

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @Option(help: ArgumentHelp("Show the bytes of one flow (tcp.N or udp.N), as --as says.", valueName: "flow"))
    var stream: String?

    @Option(
        help: ArgumentHelp(
            "The direction --stream shows: c2s (client to server), s2c, or both, interleaved in time order.",
            valueName: "dir"))
    var dir: String?

    @Option(
        name: .customLong("as"),
        help: ArgumentHelp(
            "How --stream shows the bytes: ascii (the default), hex (a dump with offsets), yaml (tshark's, with "
                + "base64 data), or raw (the bytes themselves; one --dir).",
            valueName: "view"))
    var view: StreamViewFormat?

    @Flag(help: "Write the bytes of --stream in direction --dir to standard output (same as --as raw).")
    var raw = false

    @Option(help: ArgumentHelp("List every segment (or datagram) of one flow.", valueName: "flow"))
    var segments: String?

    /// The view --stream is shown in: --as, --raw, else ascii.
    var streamView: StreamViewFormat { raw ? .raw : view ?? .ascii }

    func validate() throws {
        if raw, let view, view != .raw {
            throw ValidationError("--raw is --as raw; it cannot be combined with --as \(view.rawValue)")
        }
        if raw || view != nil || dir != nil {
            let option = raw ? "--raw" : view != nil ? "--as" : "--dir"
            if stream == nil { throw ValidationError("\(option) needs --stream tcp.N or udp.N") }
        }
        if let stream, FlowID(stream) == nil {
            throw ValidationError("--stream takes a flow id such as tcp.0 or udp.1, not \"\(stream)\"")
        }
        if let dir, FollowedDirections(dir) == nil {
            throw ValidationError("--dir takes c2s, s2c or both, not \"\(dir)\"")
        }
        if stream != nil && streamView == .raw && FollowedDirections(dir ?? "both") == .both {
            throw ValidationError(
                "\(raw ? "--raw" : "--as raw") needs --dir c2s or --dir s2c (the bytes of one direction)")
        }
        if let segments, FlowID(segments) == nil {
            throw ValidationError("--segments takes a flow id such as tcp.0 or udp.1, not \"\(segments)\"")
        }
        if stream != nil && segments != nil { throw ValidationError("--stream and --segments cannot be combined") }
        if stream != nil && json { throw ValidationError("--json does not go with --stream; use --as yaml") }
    }

    func run() throws {
        let table = FlowTable()
        let scanner: CaptureScanner
        do {
            scanner = try CaptureScanner(path: file, table: table)
        } catch let error as CaptureFileError {
            throw CommandFailure(error.description)
        }
        let output = StandardOutput.shared
        let follower = stream.flatMap(FlowID.init).map { id in
            StreamViewWriter(
                flow: id, directions: FollowedDirections(dir ?? "both") ?? .both, view: streamView, output: output)
        }
        if let follower { table.add(follower.follower) }
        if let segments, let id = FlowID(segments) {
            table.add(SegmentPrinter(flow: id, output: output, json: json))
        }
        if let size = scanner.reader.fileSize, size > 50 << 20, StandardOutput.stderrIsTerminal {
            let bar = ProgressBar(total: size)
            scanner.onProgress = { done, _ in bar.update(done) }
            scanner.run()
            bar.finish()
        } else {
            scanner.run()
        }

        let listing = FlowListing(scanner: scanner, file: file)
        if let id = FlowID(stream ?? segments ?? ""), table.flow(id) == nil {
            output.flush()
            throw CommandFailure("\(file): no flow \(id) (the file has \(table.tcpFlowCount) TCP and \(table.udpFlowCount) UDP flows)")
        }
        follower?.finish(file: file)
        if stream == nil && segments == nil {
            output.write(json ? listing.json().serialized(pretty: true) + "\n" : listing.text())
        }
        output.flush()
        if let failure = scanner.failure {
            throw CommandFailure(
                "\(failure.description) (the \(scanner.packetCount) packets before it were analysed)")
        }
    }
}

/// Prints every segment or datagram of one flow as it is read (`--segments`).
final class SegmentPrinter: StreamConsumer {
    let flow: FlowID
    let output: StandardOutput
    let json: Bool

    init(flow: FlowID, output: StandardOutput, json: Bool) {
        self.flow = flow
        self.output = output
        self.json = json
    }

    func flowStarted(_ flow: FlowState) {
        guard flow.id == self.flow, !json else { return }
        output.write("\(flow.id): \(flow.client) → \(flow.server)\(flow.clientIsGuessed ? " (client guessed)" : "")\n")
        output.write(json ? "" : "frame  time             dir  range                 len  flags  marks\n")
    }

    func tcpSegment(_ segment: TCPSegmentEvent, in flow: FlowState) {
        guard flow.id == self.flow else { return }
        let marks = SegmentPrinter.names(segment.marks)
        if json {
            let value: JSONValue = .object([
                ("frame", .number(segment.frame)), ("time", .string(segment.time.iso8601)),
                ("dir", .string(segment.direction.rawValue)),
                ("range", .array([.number(segment.offset), .number(segment.offset + Int64(segment.length))])),
                ("len", .number(segment.length)), ("flags", .string(segment.flags.description)),
                ("window", .number(segment.window)), ("marks", .array(marks.map { .string($0) })),
            ])
            output.write(value.serialized() + "\n")
            return
        }
        let range = "[\(segment.offset), \(segment.offset + Int64(segment.length)))"
        output.write(
            pad(String(segment.frame), 6) + " " + segment.time.timeOfDay + "  " + segment.direction.rawValue + "  "
                + pad(range, 20, left: true) + " " + pad(String(segment.length), 5) + "  "
                + pad(segment.flags.description, 5, left: true) + "  " + marks.joined(separator: ",") + "\n")
    }

    func udpDatagram(_ datagram: UDPDatagramEvent, payload: ArraySlice<UInt8>, in flow: FlowState) {
        guard flow.id == self.flow else { return }
        if json {
            let value: JSONValue = .object([
                ("frame", .number(datagram.frame)), ("time", .string(datagram.time.iso8601)),
                ("dir", .string(datagram.direction.rawValue)), ("index", .number(datagram.index)),
                ("len", .number(datagram.length)),
            ])
            output.write(value.serialized() + "\n")
            return
        }
        output.write(
            pad(String(datagram.frame), 6) + " " + datagram.time.timeOfDay + "  " + datagram.direction.rawValue
                + "  " + pad("datagram #\(datagram.index)", 20, left: true) + " " + pad(String(datagram.length), 5)
                + "\n")
    }

    static func names(_ marks: TCPSegmentMarks) -> [String] {
        var names: [String] = []
        if marks.contains(.retransmission) { names.append("retransmission") }
        if marks.contains(.outOfOrder) { names.append("out-of-order") }
        if marks.contains(.ahead) { names.append("previous-not-captured") }
        if marks.contains(.conflict) { names.append("conflict") }
        if marks.contains(.zeroWindow) { names.append("zero-window") }
        if marks.contains(.payloadCut) { names.append("snaplen-cut") }
        return names
    }

    private func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - text.count))
        return left ? text + fill : fill + text
    }
}
