/// `seam report --format jsonl`: JSON Lines, one compact object per line, for engines that read such files as
/// they are (jq, DuckDB's `read_json`, Spark's `spark.read.json`). The README's "The report in JSON Lines"
/// documents the schema; it is stable: members are only ever added.
///
/// Per file, in order: one `"record": "flow"` line per flow (report order), each followed by one
/// `"record": "verdict"` line per verdict of that flow, then one `"record": "file"` line. Every line carries
/// `record`, `file` and (flow and verdict lines) `flow`, `transport`, `client`, `server`, so a line read alone
/// says where it belongs. Keys are snake_case, names kebab-case, counts numbers (`null`: a layer not observed),
/// times ISO 8601.
extension BoundaryReport {
    /// The report as JSON Lines, a flow (and its verdicts) at a time; every piece ends with a newline.
    public func writeJSONLines(to emit: (String) -> Void) {
        OrderedRendering.forEach(
            flows,
            render: { flow in
                var out = ""
                flow.jsonLine(file: file, framing: framing).write(into: &out, pretty: false, indent: 0)
                out += "\n"
                for verdict in flow.verdicts {
                    verdict.jsonLine(file: file, flow: flow).write(into: &out, pretty: false, indent: 0)
                    out += "\n"
                }
                return out
            }, emit: emit)
        var out = ""
        fileJSONLine.write(into: &out, pretty: false, indent: 0)
        emit(out + "\n")
    }

    /// The whole report as JSON Lines, in one string.
    public func jsonLines() -> String {
        var text = ""
        writeJSONLines { text += $0 }
        return text
    }

    /// The last line of a file: what the whole file held, its notes and the fault that ended reading.
    var fileJSONLine: JSONValue {
        .object([
            ("record", .string("file")),
            ("file", .string(file)),
            ("framing", .optional(framing?.description)),
            ("layers", .array(layers.map { .string($0.rawValue) })),
            ("flows", .number(flows.count)),
            ("verdicts", .number(flows.reduce(0) { $0 + $1.verdicts.count })),
            ("observations", .number(observationCount)),
            ("notes", .array(notes.map { .string(ReportWords.note($0)) })),
            ("capture_drops", captureDrops.map { .number($0) } ?? .null),
            ("error", .optional(failure)),
        ])
    }
}

extension FlowReport {
    /// The members every flow and verdict line starts with (after `record` and `file`).
    fileprivate var identityMembers: [(String, JSONValue)] {
        [
            ("flow", .string(id)),
            ("transport", .string(proto.rawValue)),
            ("client", .string(client.description)),
            ("server", .string(server.description)),
            ("client_address", .string(client.address.description)),
            ("client_port", .number(client.port)),
            ("server_address", .string(server.address.description)),
            ("server_port", .number(server.port)),
        ]
    }

    func jsonLine(file: String, framing: FramingRequest?) -> JSONValue {
        var members: [(String, JSONValue)] = [("record", .string("flow")), ("file", .string(file))]
        members += identityMembers
        members += [
            ("connection", connection.map { .number($0) } ?? .null),
            ("leg", .optional(leg?.rawValue)),
            ("client_guessed", .bool(clientIsGuessed)),
            ("start", .optional(start?.iso8601)),
            ("framing", .optional(framing?.description)),
            ("verdicts", .number(verdicts.count)),
            ("verdict_kinds", .array(Array(Set(verdicts.map(\.kind.rawValue))).sorted().map { .string($0) })),
            ("c2s", clientToServer.jsonLine()),
            ("s2c", serverToClient.jsonLine()),
        ]
        return .object(members)
    }
}

extension DirectionReport {
    /// One direction's counts and its observations summed up by kind, layer and cause (never the observations
    /// one by one: a line stays short whatever the flow).
    func jsonLine() -> JSONValue {
        func count(_ value: Int?) -> JSONValue { value.map { .number($0) } ?? .null }
        func observations(_ kind: Observation.Kind) -> Int {
            observationCounts.reduce(0) { $0 + ($1.kind == kind ? $1.count : 0) }
        }
        return .object([
            ("bytes", .number(bytes)),
            ("sends", count(sendCount)),
            ("segments", count(segmentCount)),
            ("recvs", count(recvCount)),
            ("recvs_what_if", .bool(timeline.recvIsWhatIf)),
            ("messages", .number(messageCount)),
            ("message_source", .string(timeline.messageSource.jsonName)),
            ("framing", .optional(timeline.framing?.description)),
            ("framing_origin", .optional(timeline.framingChoice?.rawValue)),
            ("incomplete_messages", .number(incompleteMessageCount)),
            ("gaps", .number(timeline.gaps.count)),
            ("framing_error", .optional(timeline.framingError)),
            ("observations", .number(observationCounts.reduce(0) { $0 + $1.count })),
            ("coalesced", .number(observations(.coalesced))),
            ("split", .number(observations(.split))),
            ("incomplete", .number(observations(.incomplete))),
            (
                "observation_summary",
                .array(
                    observationCounts.map { count in
                        .object([
                            ("kind", .string(count.kind.rawValue)),
                            ("layer", .string(count.layer.rawValue)),
                            ("cause", .string(count.cause.rawValue)),
                            ("what_if", .bool(count.isWhatIf)),
                            ("count", .number(count.count)),
                            ("messages", .number(count.messages)),
                        ])
                    })
            ),
        ])
    }
}

extension Verdict {
    func jsonLine(file: String, flow: FlowReport) -> JSONValue {
        var members: [(String, JSONValue)] = [("record", .string("verdict")), ("file", .string(file))]
        members += flow.identityMembers
        members += [
            ("kind", .string(kind.rawValue)),
            ("direction", .string(direction.rawValue)),
            ("program", .string(program.rawValue)),
            ("pid", process.map { .number(Int($0.pid)) } ?? .null),
            ("process", .optional(process?.command)),
            ("message", message.map { .number($0) } ?? .null),
            ("time", .string(time.iso8601)),
            ("summary", .string(ReportWords.summary(self))),
            ("evidence", .string(ReportWords.evidence(self))),
            ("fix", .string(ReportWords.fix(self))),
        ]
        return .object(members)
    }
}
