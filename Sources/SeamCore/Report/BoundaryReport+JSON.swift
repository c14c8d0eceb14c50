/// `seam report --format json`: DESIGN.md's shape. Keys are snake_case; names (kinds, causes, layers, legs)
/// are kebab-case; counts are numbers, or null for a layer that was not observed.
extension BoundaryReport {
    public func json() -> JSONValue {
        .object(jsonMembers(flows: .array(flows.map { $0.json() })))
    }

    /// `json().serialized(pretty: true)` and a newline, in pieces (a flow at a time), for a caller that
    /// writes them out as they come.
    public func writeJSON(to emit: (String) -> Void) {
        var out = "{"
        for (index, (key, value)) in jsonMembers(flows: nil).enumerated() {
            out += index == 0 ? "\n  " : ",\n  "
            JSONValue.writeString(key, into: &out)
            out += ": "
            guard key == "flows" else {
                value.write(into: &out, pretty: true, indent: 1)
                continue
            }
            if flows.isEmpty {
                out += "[]"
                continue
            }
            out += "["
            for (flowIndex, flow) in flows.enumerated() {
                out += flowIndex == 0 ? "\n    " : ",\n    "
                flow.json().write(into: &out, pretty: true, indent: 2)
                if out.utf8.count >= 1 << 16 {
                    emit(out)
                    out = ""
                }
            }
            out += "\n  ]"
        }
        emit(out + "\n}\n")
    }

    /// The report's members in DESIGN.md's order; `flows` is null when the caller writes them itself.
    private func jsonMembers(flows: JSONValue?) -> [(String, JSONValue)] {
        var members: [(String, JSONValue)] = [
            ("file", .string(file)),
            ("framing", .optional(framing?.description)),
            ("layers", .array(layers.map { .string($0.rawValue) })),
        ]
        if let whatIfRecvSize { members.append(("what_if_recv_size", .number(whatIfRecvSize))) }
        members += [
            ("flows", flows ?? .null),
            ("notes", .array(notes.map { .string($0) })),
            ("capture_drops", captureDrops.map { .number($0) } ?? .null),
            ("error", .optional(failure)),
        ]
        return members
    }
}

extension FlowReport {
    func json() -> JSONValue {
        .object([
            ("id", .string(id)),
            ("proto", .string(proto.rawValue)),
            ("connection", connection.map { .number($0) } ?? .null),
            ("leg", .optional(leg)),
            ("client", .string(client.description)),
            ("server", .string(server.description)),
            ("client_guessed", .bool(clientIsGuessed)),
            ("start", .optional(start?.iso8601)),
            ("c2s", clientToServer.json()),
            ("s2c", serverToClient.json()),
        ])
    }
}

extension DirectionReport {
    func json() -> JSONValue {
        func count(_ value: Int?) -> JSONValue { value.map { .number($0) } ?? .null }
        return .object([
            ("bytes", .number(bytes)),
            ("sends", count(sendCount)),
            ("segments", count(segmentCount)),
            ("recvs", count(recvCount)),
            ("recvs_what_if", .bool(timeline.recvIsWhatIf)),
            ("messages", .number(messageCount)),
            ("message_source", .string(timeline.messageSource.jsonName)),
            ("incomplete_messages", .number(incompleteMessageCount)),
            ("gaps", .number(timeline.gaps.count)),
            ("framing_hints", .array(timeline.framingHints.map { .string($0.description) })),
            ("framing_error", .optional(timeline.framingError)),
            ("findings", .array(findings.map { $0.json() })),
        ])
    }
}

extension Finding {
    func json() -> JSONValue {
        .object([
            ("kind", .string(kind.rawValue)),
            ("layer", .string(layer.rawValue)),
            ("cause", .string(cause.rawValue)),
            ("messages", .array(messages.map { .number($0) })),
            ("range", .array([.number(range.lowerBound), .number(range.upperBound)])),
            ("time", .optional(time?.iso8601)),
            ("evidence", isBrief ? .null : .string(evidence)),
            ("facts", .array(facts.map { .string($0) })),
            ("what_if", .bool(isWhatIf)),
        ])
    }
}

extension MessageSource {
    var jsonName: String {
        switch self {
        case .framing: return "framing"
        case .sendCalls: return "send-calls"
        case .datagrams: return "datagrams"
        case .unknown: return "unknown"
        }
    }
}
