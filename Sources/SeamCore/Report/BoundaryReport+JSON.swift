/// `seam report --format json`: the schema the README documents. Keys are snake_case; names (kinds, causes,
/// layers, legs, roles) are kebab-case; counts are numbers, or null for a layer that was not observed; times
/// are ISO 8601, durations nanoseconds. The top-level `verdicts` list comes first after the header, each
/// verdict with its words (`summary`, `evidence`, `fix`) as the text report says them.
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
            emit(out)
            out = ""
            var isFirst = true
            OrderedRendering.forEach(
                flows,
                render: { flow in
                    var text = ""
                    flow.json().write(into: &text, pretty: true, indent: 2)
                    return text
                },
                emit: { text in
                    emit((isFirst ? "\n    " : ",\n    ") + text)
                    isFirst = false
                })
            out += "\n  ]"
        }
        emit(out + "\n}\n")
    }

    /// The report's members in the documented order; `flows` is null when the caller writes them itself.
    private func jsonMembers(flows: JSONValue?) -> [(String, JSONValue)] {
        var members: [(String, JSONValue)] = [
            ("file", .string(file)),
            ("framing", .optional(framing?.description)),
            ("layers", .array(layers.map { .string($0.rawValue) })),
        ]
        if let whatIfRecvSize { members.append(("what_if_recv_size", .number(whatIfRecvSize))) }
        members += [
            ("verdicts", .array(verdicts.map { $0.json() })),
            ("flows", flows ?? .null),
            ("notes", .array(notes.map { .string(ReportWords.note($0)) })),
            ("capture_drops", captureDrops.map { .number($0) } ?? .null),
            ("error", .optional(failure)),
        ]
        return members
    }
}

extension Verdict {
    func json() -> JSONValue {
        .object([
            ("kind", .string(kind.rawValue)),
            ("flow", .string(flow)),
            ("direction", .string(direction.rawValue)),
            ("program", .string(program.rawValue)),
            ("pid", process.map { .number(Int($0.pid)) } ?? .null),
            ("process", .optional(process?.command)),
            ("message", message.map { .number($0) } ?? .null),
            ("time", .string(time.iso8601)),
            ("summary", .string(ReportWords.summary(self))),
            ("evidence", .string(ReportWords.evidence(self))),
            ("fix", .string(ReportWords.fix(self))),
        ])
    }
}

extension FlowPeer {
    func json() -> JSONValue {
        .object([
            ("endpoint", .string(endpoint.description)),
            ("role", .string(role.rawValue)),
            ("calls_observed", .bool(callsObserved)),
            ("pid", process.map { .number(Int($0.pid)) } ?? .null),
            ("process", .optional(process?.command)),
        ])
    }
}

extension FlowReport {
    func json() -> JSONValue {
        .object([
            ("id", .string(id)),
            ("proto", .string(proto.rawValue)),
            ("connection", connection.map { .number($0) } ?? .null),
            ("leg", .optional(leg?.rawValue)),
            ("client", .string(client.description)),
            ("server", .string(server.description)),
            ("client_guessed", .bool(clientIsGuessed)),
            ("start", .optional(start?.iso8601)),
            ("client_peer", clientPeer.json()),
            ("server_peer", serverPeer.json()),
            ("verdicts", .number(verdicts.count)),
            ("c2s", clientToServer.json(parties: ReportWords.Parties(flow: self, direction: .clientToServer))),
            ("s2c", serverToClient.json(parties: ReportWords.Parties(flow: self, direction: .serverToClient))),
        ])
    }
}

extension DirectionReport {
    func json(parties: ReportWords.Parties) -> JSONValue {
        func count(_ value: Int?) -> JSONValue { value.map { .number($0) } ?? .null }
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
            ("framing_fit", .optional(timeline.detectedFit?.description)),
            ("incomplete_messages", .number(incompleteMessageCount)),
            ("gaps", .number(timeline.gaps.count)),
            ("framing_hints", .array(timeline.framingHints.map { .string($0.description) })),
            ("framing_error", .optional(timeline.framingError)),
            ("observation_summary", .array(observationCounts.map { $0.json() })),
            ("observations", .array(observations.map { $0.json(parties: parties) })),
            ("budget", budget.json()),
            ("deliveries", .array(deliveries.map { $0.json() })),
        ])
    }
}

extension ObservationCount {
    func json() -> JSONValue {
        .object([
            ("kind", .string(kind.rawValue)),
            ("layer", .string(layer.rawValue)),
            ("cause", .string(cause.rawValue)),
            ("what_if", .bool(isWhatIf)),
            ("count", .number(count)),
            ("messages", .number(messages)),
            ("text", .string(ReportWords.summary(self))),
        ])
    }
}

extension Observation {
    func json(parties: ReportWords.Parties) -> JSONValue {
        .object([
            ("kind", .string(kind.rawValue)),
            ("layer", .string(layer.rawValue)),
            ("cause", .string(cause.rawValue)),
            ("messages", .array([.number(messageRange.lowerBound), .number(messageRange.upperBound)])),
            ("range", .array([.number(range.lowerBound), .number(range.upperBound)])),
            ("time", .optional(time?.iso8601)),
            ("evidence", evidence.map { .string(ReportWords.explanation($0, observation: self, parties: parties)) } ?? .null),
            ("facts", .array(facts.map { .string(ReportWords.fact($0)) })),
            ("what_if", .bool(isWhatIf)),
        ])
    }
}

extension DeliveryBudget {
    func json() -> JSONValue {
        func spread(_ value: Spread?) -> JSONValue {
            guard let value else { return .null }
            return .object([
                ("median_ns", .number(Int(value.median))), ("max_ns", .number(Int(value.maximum))),
                ("worst_message", .number(value.worstMessage)),
            ])
        }
        return .object([
            ("sender_kernel", spread(senderKernel)), ("receiver_buffer", spread(receiverBuffer)),
            ("total", spread(total)),
        ])
    }
}

extension Delivery {
    func json() -> JSONValue {
        func span(_ range: Range<Int>?) -> JSONValue {
            range.map { .array([.number($0.lowerBound), .number($0.upperBound)]) } ?? .null
        }
        func ns(_ value: Int64?) -> JSONValue { value.map { .number(Int($0)) } ?? .null }
        return .object([
            ("message", .number(message)),
            ("sends", span(sends)),
            ("segments", span(segments)),
            ("recvs", span(recvs)),
            ("first_send", .optional(firstSend?.iso8601)),
            ("last_segment", .optional(lastSegment?.iso8601)),
            ("first_read", .optional(firstRead?.iso8601)),
            ("whole_at", .optional(wholeAt?.iso8601)),
            ("sender_kernel_ns", ns(senderKernelNanoseconds)),
            ("receiver_buffer_ns", ns(receiverBufferNanoseconds)),
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
