import SeamCore

extension CallTranslator {
    /// Whether a captured packet belongs to one of the sockets seen so far: its source or its destination is a
    /// socket's local endpoint. The recorders that capture beside the calls (`seam trace`, `seam watch`) keep
    /// only such packets.
    public func owns(_ record: PacketRecord, decoder: inout PacketDecoder) -> Bool {
        guard case .packet(let packet) = decoder.decode(record) else { return false }
        let ports: (UInt16, UInt16)
        switch packet.transport {
        case .tcp(let header): ports = (header.sourcePort, header.destinationPort)
        case .udp(let header): ports = (header.sourcePort, header.destinationPort)
        case .other: return false
        }
        return localEndpoints.contains(Endpoint(address: packet.source, port: ports.0))
            || localEndpoints.contains(Endpoint(address: packet.destination, port: ports.1))
    }
}
