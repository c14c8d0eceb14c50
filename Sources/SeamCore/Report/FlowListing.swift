/// The `seam inspect` listing: one line (or JSON object) per flow, with the reassembly facts that
/// `tshark -z conv,tcp` does not give.
public struct FlowListing {
    public var file: String
    public var format: CaptureFormat?
    public var packets: Int
    public var firstTime: Timestamp?
    public var lastTime: Timestamp?
    public var flows: [FlowState]
    public var notes: [String]
    /// The fault that ended reading early, if any.
    public var failure: String?

    public init(scanner: CaptureScanner, file: String) {
        self.file = file
        self.format = scanner.reader.format
        self.packets = scanner.packetCount
        self.firstTime = scanner.firstTime
        self.lastTime = scanner.lastTime
        self.flows = scanner.table.flows
        self.failure = scanner.failure?.description
        self.notes = FlowListing.notes(for: scanner)
    }

    /// What was read but not analysed: link types Seam does not decode, non-IP frames, malformed headers.
    static func notes(for scanner: CaptureScanner) -> [String] {
        let table = scanner.table
        var notes: [String] = []
        for (type, count) in table.unsupportedLinkTypes.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            notes.append("\(count) \(plural(count, "packet")) of link type \(type.name) (\(type.rawValue)) not decoded")
        }
        if table.notIPPackets > 0 {
            notes.append("\(table.notIPPackets) \(plural(table.notIPPackets, "packet")) not IP (ARP, LLDP, …)")
        }
        if table.otherIPPackets > 0 {
            notes.append("\(table.otherIPPackets) IP \(plural(table.otherIPPackets, "packet")) neither TCP nor UDP")
        }
        for (problem, count) in table.malformed.sorted(by: { $0.key < $1.key }) {
            notes.append("\(count) malformed: \(problem)")
        }
        if table.heldFragments > 0 {
            notes.append("\(table.heldFragments) IP \(plural(table.heldFragments, "fragment")) reassembled or held")
        }
        return notes
    }

    // MARK: - Text

    public func text() -> String {
        var out = "\(file): \(format?.rawValue ?? "?"), \(packets) \(FlowListing.plural(packets, "packet"))"
        let tcp = flows.filter { $0.proto == .tcp }.count
        let udp = flows.count - tcp
        out += ", \(tcp) TCP \(FlowListing.plural(tcp, "flow")), \(udp) UDP \(FlowListing.plural(udp, "flow"))"
        if let firstTime, let lastTime {
            out += ", \(firstTime.iso8601), \(FlowListing.seconds(lastTime.seconds(since: firstTime)))"
        }
        out += "\n"
        if !flows.isEmpty {
            var rows: [[String]] = [
                ["flow", "client", "", "server", "packets", "bytes", "start", "duration", "retx", "ooo", "gaps"]
            ]
            for flow in flows {
                rows.append([
                    flow.id.description,
                    (flow.clientIsGuessed ? "~" : "") + flow.client.description, "→", flow.server.description,
                    "\(flow.clientToServer.packets)/\(flow.serverToClient.packets)",
                    "\(flow.clientToServer.streamBytes)/\(flow.serverToClient.streamBytes)",
                    flow.firstTime.timeOfDay,
                    FlowListing.seconds(flow.lastTime.seconds(since: flow.firstTime)),
                    "\(flow.clientToServer.retransmissions + flow.serverToClient.retransmissions)",
                    "\(flow.clientToServer.outOfOrder + flow.serverToClient.outOfOrder)",
                    gapText(flow),
                ])
            }
            out += FlowListing.table(rows, rightAligned: [4, 5, 7, 8, 9, 10])
            if flows.contains(where: \.clientIsGuessed) {
                out += "~ client guessed (no SYN captured): the side with the higher port\n"
            }
        }
        for note in notes { out += "note: \(note)\n" }
        return out
    }

    private func gapText(_ flow: FlowState) -> String {
        let count = flow.clientToServer.gaps + flow.serverToClient.gaps
        let bytes = flow.clientToServer.gapBytes + flow.serverToClient.gapBytes
        return count == 0 ? "0" : "\(count) (\(bytes) B)"
    }

    // MARK: - JSON

    public func json() -> JSONValue {
        .object([
            ("file", .string(file)),
            ("format", .optional(format?.rawValue)),
            ("packets", .number(packets)),
            ("start", .optional(firstTime?.iso8601)),
            ("duration", firstTime.flatMap { f in lastTime.map { .double($0.seconds(since: f)) } } ?? .null),
            ("flows", .array(flows.map(FlowListing.json))),
            ("notes", .array(notes.map { .string($0) })),
            ("error", .optional(failure)),
        ])
    }

    static func json(_ flow: FlowState) -> JSONValue {
        .object([
            ("id", .string(flow.id.description)),
            ("proto", .string(flow.proto.rawValue)),
            ("client", .string(flow.client.description)),
            ("server", .string(flow.server.description)),
            ("client_guessed", .bool(flow.clientIsGuessed)),
            ("start", .string(flow.firstTime.iso8601)),
            ("duration", .double(flow.lastTime.seconds(since: flow.firstTime))),
            ("c2s", json(flow.clientToServer, proto: flow.proto)),
            ("s2c", json(flow.serverToClient, proto: flow.proto)),
            ("malformed", .number(flow.malformedPackets)),
        ])
    }

    static func json(_ stats: DirectionStatistics, proto: Transport) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("packets", .number(stats.packets)),
            ("bytes", .number(stats.streamBytes)),
            ("payload_bytes", .number(stats.payloadBytes)),
        ]
        if proto == .tcp {
            members += [
                ("retransmissions", .number(stats.retransmissions)),
                ("out_of_order", .number(stats.outOfOrder)),
                ("ahead", .number(stats.ahead)),
                ("conflicts", .number(stats.conflicts)),
                ("zero_windows", .number(stats.zeroWindows)),
                ("gaps", .number(stats.gaps)),
                ("gap_bytes", .number(stats.gapBytes)),
                ("undelivered_bytes", .number(stats.undeliveredBytes)),
                ("syn", .bool(stats.sawSYN)),
                ("fin", .bool(stats.sawFIN)),
                ("rst", .bool(stats.sawRST)),
                ("mss", stats.maximumSegmentSize.map { .number($0) } ?? .null),
                ("window_scale", stats.windowScale.map { .number($0) } ?? .null),
            ]
        }
        return .object(members)
    }

    // MARK: - Helpers

    static func plural(_ count: Int, _ word: String) -> String { count == 1 ? word : word + "s" }

    static func seconds(_ value: Double) -> String {
        let millis = Int64((value * 1000).rounded())
        let fraction = String(millis % 1000)
        return "\(millis / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction) s"
    }

    /// Columns padded to their widest cell; `rightAligned` columns align right.
    static func table(_ rows: [[String]], rightAligned: Set<Int>) -> String {
        guard let columns = rows.map(\.count).max() else { return "" }
        var widths = Array(repeating: 0, count: columns)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        var out = ""
        for row in rows {
            var line = ""
            for (index, cell) in row.enumerated() {
                let pad = String(repeating: " ", count: widths[index] - cell.count)
                if index > 0 { line += " " }
                line += rightAligned.contains(index) ? pad + cell : cell + pad
            }
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        return out
    }
}
