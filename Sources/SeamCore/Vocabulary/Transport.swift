/// The transport protocol of a flow, a socket or a session call: the `proto=` word of a session call, the
/// first part of a flow id (`tcp.3`), Wireshark's `tcp.stream` / `udp.stream` families.
public enum Transport: String, Hashable, Sendable, CaseIterable, Codable {
    case tcp
    case udp
}
