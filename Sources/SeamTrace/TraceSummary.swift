import SeamCore

/// One line per traced connection for the end of `seam trace` and `seam watch`:
/// `conn 1 tcp 127.0.0.1:40112 -> 127.0.0.1:9000 pid 4242 (python3): connect, send 5, send 4, close`
/// (the command when the recorder knows it).
public struct TraceSummary {
    private struct Connection {
        var transport: Transport
        var client: Endpoint?
        var server: Endpoint?
        var pid: String
        var command: String?
        var calls: [String] = []
        var more = 0
    }

    private var connections: [Int: Connection] = [:]
    static let callsShown = 24

    public init() {}

    public mutating func add(_ call: SessionCall) {
        var connection =
            connections[call.connection]
            ?? Connection(
                transport: call.transport, pid: call.program.map { String($0.pid) } ?? "?",
                command: call.program?.command)
        if connection.client == nil || connection.server == nil {
            let toServer = call.direction != .serverToClient
            connection.client = toServer ? call.source : call.destination
            connection.server = toServer ? call.destination : call.source
        }
        guard connection.calls.count < Self.callsShown else {
            connection.more += 1
            connections[call.connection] = connection
            return
        }
        var text = call.kind.rawValue
        switch call.kind {
        case .send: text += " \(call.length ?? 0)"
        case .recv: text += " \(call.length ?? 0)/\(call.bufferSize ?? 0)"
        case .error: text = call.failure.map { "\($0.operation ?? "?") \($0.errorNumber?.name ?? $0.reason ?? "")" } ?? "error"
        default: break
        }
        connection.calls.append(text)
        connections[call.connection] = connection
    }

    public func lines() -> [String] {
        connections.keys.sorted().map { number in
            let connection = connections[number]!
            let client = connection.client?.description ?? "?"
            let server = connection.server?.description ?? "?"
            let more = connection.more > 0 ? ", … \(connection.more) more" : ""
            let command = connection.command.map { " (\($0))" } ?? ""
            return "conn \(number) \(connection.transport.rawValue) \(client) -> \(server) pid \(connection.pid)"
                + "\(command): " + connection.calls.joined(separator: ", ") + more
        }
    }
}
