/// Sorts a session's socket calls (the proxy's and the traced or demo peers' own, `leg=app`) onto the flows
/// they belong to, as `send` and `recv` layers per direction.
///
/// A call is tied to its flow by the 4-tuple: the proxy's `accept` and `connect` calls name each leg's
/// endpoints; `app` calls carry their socket's endpoints in the direction of the data. Both orient a leg as
/// client → server, the same way the capture's flow is oriented, so calls and segments share one axis.
struct CallLayers {
    struct LegKey: Hashable {
        var client: Endpoint
        var server: Endpoint
        var proto: Transport
    }

    /// The calls of one leg (one TCP connection or UDP flow between two sockets).
    struct Leg {
        var key: LegKey
        var connection: Int?
        var name: String
        var firstTime: Timestamp
        var sends: [[LayerRange]?] = [nil, nil]
        var recvs: [[LayerRange]?] = [nil, nil]
        /// Payload the calls moved, per direction, for framing when the capture holds no segments.
        var payloads: [[(offset: UInt64, bytes: [UInt8])]] = [[], []]
        var summaries: [[UInt64: String]] = [[:], [:]]
    }

    private(set) var legs: [Leg] = []
    private var index: [LegKey: Int] = [:]
    /// Each proxy leg's endpoints, from its accept/connect call.
    private var tuples: [String: LegKey] = [:]
    private(set) var undecodable = 0

    mutating func add(_ call: SessionCall) {
        let proto: Transport = call.transport == .udp ? .udp : .tcp
        let tupleName = "\(call.connection) \(call.leg.rawValue) \(proto.rawValue)"
        switch call.kind {
        case .accept, .connect:
            if let source = call.source, let destination = call.destination {
                let key = LegKey(client: source, server: destination, proto: proto)
                tuples[tupleName] = key
                _ = leg(for: key, call: call)
            }
        case .send, .recv:
            guard let (key, direction) = resolve(call, tupleName: tupleName, proto: proto),
                let offset = call.offset, let length = call.length, length > 0 || proto == .udp
            else { return }
            let legIndex = leg(for: key, call: call)
            let side = direction == .clientToServer ? 0 : 1
            var range = LayerRange(range: offset..<(offset + UInt64(length)), time: call.timestamp)
            if let payload = call.payload, proto == .udp { range.payloadHash = payloadHash(payload) }
            if call.kind == .send {
                range.asked = call.bufferSize
                if legs[legIndex].sends[side] == nil { legs[legIndex].sends[side] = [] }
                legs[legIndex].sends[side]!.append(range)
            } else {
                range.asked = call.bufferSize
                range.truncatedBytes = call.truncatedBytes ?? 0
                if legs[legIndex].recvs[side] == nil { legs[legIndex].recvs[side] = [] }
                legs[legIndex].recvs[side]!.append(range)
            }
            if let payload = call.payload, !payload.isEmpty {
                // One copy per direction is enough for framing: the sender's, or the receiver's if no sends.
                let keep = call.kind == .send || legs[legIndex].sends[side] == nil
                if keep && proto == .tcp { legs[legIndex].payloads[side].append((offset, payload)) }
                if call.kind == .send || legs[legIndex].summaries[side][offset] == nil {
                    legs[legIndex].summaries[side][offset] = SummaryText.escaped(payload.prefix(32))
                }
            }
        default:
            return
        }
    }

    /// The leg of a call and the direction of its data, client → server oriented.
    private func resolve(_ call: SessionCall, tupleName: String, proto: Transport) -> (LegKey, Direction)? {
        if let key = tuples[tupleName], let direction = call.direction {
            return (key, direction)
        }
        guard let source = call.source, let destination = call.destination else { return nil }
        for (key, direction) in [
            (LegKey(client: source, server: destination, proto: proto), Direction.clientToServer),
            (LegKey(client: destination, server: source, proto: proto), Direction.serverToClient),
        ] where index[key] != nil {
            return (key, direction)
        }
        let direction = call.direction ?? .clientToServer
        return direction == .clientToServer
            ? (LegKey(client: source, server: destination, proto: proto), .clientToServer)
            : (LegKey(client: destination, server: source, proto: proto), .serverToClient)
    }

    private mutating func leg(for key: LegKey, call: SessionCall) -> Int {
        if let existing = index[key] {
            if call.leg != .app && legs[existing].name == "app" {
                legs[existing].name = call.leg.rawValue
                legs[existing].connection = call.connection
            }
            return existing
        }
        legs.append(
            Leg(key: key, connection: call.connection, name: call.leg.rawValue, firstTime: call.timestamp))
        index[key] = legs.count - 1
        return legs.count - 1
    }

    /// The leg with these endpoints, in either orientation, and whether it is reversed relative to them.
    func leg(client: Endpoint, server: Endpoint, proto: Transport) -> (Int, reversed: Bool)? {
        if let found = index[LegKey(client: client, server: server, proto: proto)] { return (found, false) }
        if let found = index[LegKey(client: server, server: client, proto: proto)] { return (found, true) }
        return nil
    }
}
