/// Sorts a session's socket calls (the proxy's, and the traced, watched or demo programs' own, `leg=app`)
/// onto the legs they belong to, as `send` and `recv` layers per direction, and learns who each side is.
///
/// A call is tied to its leg by the 4-tuple: the proxy's `accept` and `connect` calls name each leg's
/// endpoints; `app` calls carry their socket's endpoints in the direction of the data. Both orient a leg as
/// client → server, the same way the capture's flow is oriented, so calls and segments share one axis.
///
/// On a proxied connection both legs share each direction's byte axis (the proxy relays every byte
/// unchanged), so a direction's messages, when no framing cuts them, are the original sender's own writes:
/// the client's (on the downstream leg) for `c2s`, the server's (on the upstream leg) for `s2c` — never the
/// proxy's, which only say how the proxy happened to read.
struct CallLayers {
    struct LegKey: Hashable {
        var client: Endpoint
        var server: Endpoint
        var proto: Transport
    }

    /// The calls of one leg (one TCP connection or UDP flow between two sockets).
    struct CallLeg {
        var key: LegKey
        /// The proxy's connection number, when the proxy relayed it.
        var connection: Int?
        var leg: Leg
        var firstTime: Timestamp
        var lastTime: Timestamp
        var sends = DirectionPair<[LayerRange]?>(repeating: nil)
        var recvs = DirectionPair<[LayerRange]?>(repeating: nil)
        /// Payload the calls moved, per direction, for framing when the capture holds no segments.
        var payloads = DirectionPair<[(offset: UInt64, bytes: [UInt8])]>(repeating: [])
        var summaries = DirectionPair<[UInt64: String]>(repeating: [:])
        /// Sides whose own calls were recorded (`leg=app`), and the proxy's side of a proxied leg.
        var programSides = Set<Side>()
        var proxySide: Side?
        var processes: [Side: ProcessName] = [:]
        var closeTimes: [Side: Timestamp] = [:]

        /// Who `side` is, as far as the calls show.
        func peer(_ side: Side) -> FlowPeer {
            var peer = FlowPeer(endpoint: side == .client ? key.client : key.server, role: side == proxySide ? .proxy : .program)
            peer.callsObserved = programSides.contains(side) || side == proxySide
            peer.process = processes[side]
            peer.closeTime = closeTimes[side]
            return peer
        }
    }

    private(set) var legs: [CallLeg] = []
    private var index: [LegKey: Int] = [:]
    /// Each proxy leg, by connection and leg, from its accept/connect call.
    private var proxyLegs: [ProxyLeg: LegKey] = [:]
    /// The side each app socket (its connection number) is on, learned from its first call that shows it.
    private var appSides: [Int: (LegKey, Side)] = [:]

    private struct ProxyLeg: Hashable {
        var connection: Int
        var leg: Leg
        var proto: Transport
    }

    var isEmpty: Bool { legs.isEmpty }

    mutating func add(_ call: SessionCall) {
        let proto = call.transport
        switch call.kind {
        case .accept, .connect:
            guard let source = call.source, let destination = call.destination else { return }
            let key = LegKey(client: source, server: destination, proto: proto)
            let legIndex = leg(for: key, call: call)
            if call.leg == .app {
                let side: Side = call.kind == .connect ? .client : .server
                appSides[call.connection] = (key, side)
                markProgram(side, of: legIndex, call: call)
            } else {
                proxyLegs[ProxyLeg(connection: call.connection, leg: call.leg, proto: proto)] = key
                legs[legIndex].proxySide = call.leg == .downstream ? .server : .client
            }
        case .send, .recv:
            guard let (key, direction) = resolve(call), let offset = call.offset, let length = call.length else {
                return
            }
            // A TCP read of 0 bytes is end-of-file; a send of nothing asked nothing: neither makes a leg.
            if length == 0 && proto == .tcp && (call.kind == .recv || (call.bufferSize ?? 0) == 0) { return }
            let legIndex = leg(for: key, call: call)
            let side = call.kind == .send ? direction.sender : direction.receiver
            if call.leg == .app {
                appSides[call.connection] = (key, side)
                markProgram(side, of: legIndex, call: call)
            }
            guard length > 0 || proto == .udp || (call.bufferSize ?? 0) > 0 else { return }
            var range = LayerRange(
                range: offset..<(offset + UInt64(length)), time: call.timestamp, asked: call.bufferSize,
                call: CallDetail.of(call))
            if let payload = call.payload, proto == .udp { range.payloadHash = payloadHash(payload) }
            if call.kind == .send {
                guard length > 0 || (call.bufferSize ?? 0) > 0 else { return }
                legs[legIndex].sends[direction, default: []].append(range)
            } else {
                guard length > 0 || proto == .udp else { return }
                range.truncatedBytes = call.truncatedBytes ?? 0
                legs[legIndex].recvs[direction, default: []].append(range)
            }
            if let payload = call.payload, !payload.isEmpty {
                // One copy per direction is enough for framing: the sender's, or the receiver's if no sends.
                let keep = call.kind == .send || legs[legIndex].sends[direction] == nil
                if keep && proto == .tcp { legs[legIndex].payloads[direction].append((offset, payload)) }
                if call.kind == .send || legs[legIndex].summaries[direction][offset] == nil {
                    legs[legIndex].summaries[direction][offset] = SummaryText.escaped(payload.prefix(32))
                }
            }
        case .close, .reset:
            if call.leg == .app, let (key, side) = appSides[call.connection], let legIndex = index[key] {
                legs[legIndex].closeTimes[side] = legs[legIndex].closeTimes[side] ?? call.timestamp
                legs[legIndex].lastTime = max(legs[legIndex].lastTime, call.timestamp)
            } else if let key = proxyLegs[ProxyLeg(connection: call.connection, leg: call.leg, proto: proto)],
                let legIndex = index[key], let side = legs[legIndex].proxySide
            {
                legs[legIndex].closeTimes[side] = legs[legIndex].closeTimes[side] ?? call.timestamp
                legs[legIndex].lastTime = max(legs[legIndex].lastTime, call.timestamp)
            }
        case .error:
            // A send that failed (EAGAIN on a non-blocking socket) asked to write and wrote nothing.
            guard let operation = call.failure?.operation, operation.hasPrefix("send") || operation.hasPrefix("write"),
                let asked = call.bufferSize, asked > 0, let (key, direction) = resolve(call), let legIndex = index[key]
            else { return }
            let offset = call.offset ?? legs[legIndex].sends[direction]?.last?.range.upperBound ?? 0
            legs[legIndex].sends[direction, default: []].append(
                LayerRange(range: offset..<offset, time: call.timestamp, asked: asked, call: CallDetail.of(call)))
        case .shutdown:
            return
        }
    }

    private mutating func markProgram(_ side: Side, of legIndex: Int, call: SessionCall) {
        legs[legIndex].programSides.insert(side)
        if let program = call.program, legs[legIndex].processes[side] == nil {
            legs[legIndex].processes[side] = ProcessName(pid: program.pid, command: program.command)
        }
    }

    /// The leg of a call and the direction of its data, client → server oriented.
    private func resolve(_ call: SessionCall) -> (LegKey, Direction)? {
        let proto = call.transport
        if call.leg != .app, let key = proxyLegs[ProxyLeg(connection: call.connection, leg: call.leg, proto: proto)],
            let direction = call.direction
        {
            return (key, direction)
        }
        if call.leg == .app, let (key, _) = appSides[call.connection], let direction = call.direction {
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
            if call.leg != .app && legs[existing].leg == .app {
                legs[existing].leg = call.leg
                legs[existing].connection = call.connection
            }
            legs[existing].lastTime = max(legs[existing].lastTime, call.timestamp)
            return existing
        }
        legs.append(
            CallLeg(
                key: key, connection: call.leg == .app ? nil : call.connection, leg: call.leg,
                firstTime: call.timestamp, lastTime: call.timestamp))
        index[key] = legs.count - 1
        return legs.count - 1
    }

    /// The leg with these endpoints, in either orientation, and whether it is reversed relative to them.
    func leg(client: Endpoint, server: Endpoint, proto: Transport) -> (Int, reversed: Bool)? {
        if let found = index[LegKey(client: client, server: server, proto: proto)] { return (found, false) }
        if let found = index[LegKey(client: server, server: client, proto: proto)] { return (found, true) }
        return nil
    }

    /// The original sender's writes of `direction` on the proxied connection of leg `legIndex`: the client's
    /// (downstream leg) for `c2s`, the server's (upstream leg) for `s2c`; `nil` when that program's calls
    /// were not recorded. For a leg that is not proxied, its own sender's writes when they are a program's.
    func messageSends(of legIndex: Int, _ direction: Direction) -> (sends: [LayerRange], summaries: [UInt64: String])? {
        let leg = legs[legIndex]
        var source = leg
        if let connection = leg.connection, leg.leg != .app {
            let wanted: Leg = direction == .clientToServer ? .downstream : .upstream
            guard let key = proxyLegs[ProxyLeg(connection: connection, leg: wanted, proto: leg.key.proto)],
                let other = index[key]
            else { return nil }
            source = legs[other]
        }
        let sender = direction.sender
        guard source.programSides.contains(sender), source.proxySide != sender, let sends = source.sends[direction]
        else { return nil }
        return (sends.filter { !$0.range.isEmpty }, source.summaries[direction])
    }
}

extension DirectionPair {
    /// The value for `direction`, made `defaultValue` first when it is `nil`.
    subscript<Element>(direction: Direction, default defaultValue: [Element]) -> [Element]
    where Value == [Element]? {
        get { self[direction] ?? defaultValue }
        _modify {
            if self[direction] == nil { self[direction] = defaultValue }
            yield &self[direction]!
        }
    }
}
