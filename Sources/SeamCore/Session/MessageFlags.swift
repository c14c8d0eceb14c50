/// The MSG_* flags of send and recv calls (Linux values), named as the session file writes them:
/// `MSG_MORE|MSG_NOSIGNAL`. For `accept4` the same field holds SOCK_* flags, named with `acceptNames`.
public struct MessageFlags: OptionSet, Sendable, Hashable {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let outOfBand = MessageFlags(rawValue: 0x1)
    public static let peek = MessageFlags(rawValue: 0x2)
    public static let truncated = MessageFlags(rawValue: 0x20)
    public static let dontWait = MessageFlags(rawValue: 0x40)
    public static let waitAll = MessageFlags(rawValue: 0x100)
    public static let noSignal = MessageFlags(rawValue: 0x4000)
    public static let more = MessageFlags(rawValue: 0x8000)

    static let names: [(Int32, String)] = [
        (0x1, "MSG_OOB"), (0x2, "MSG_PEEK"), (0x4, "MSG_DONTROUTE"), (0x8, "MSG_CTRUNC"), (0x20, "MSG_TRUNC"),
        (0x40, "MSG_DONTWAIT"), (0x80, "MSG_EOR"), (0x100, "MSG_WAITALL"), (0x2000, "MSG_ERRQUEUE"),
        (0x4000, "MSG_NOSIGNAL"), (0x8000, "MSG_MORE"), (0x10000, "MSG_WAITFORONE"), (0x2000_0000, "MSG_FASTOPEN"),
        (0x4000_0000, "MSG_CMSG_CLOEXEC"),
    ]
    static let acceptNames: [(Int32, String)] = [(0o4000, "SOCK_NONBLOCK"), (0o2000000, "SOCK_CLOEXEC")]

    /// The names joined by `|`; bits without a name as hex (`0x400`).
    public func names(accept: Bool = false) -> String {
        var rest = rawValue
        var parts: [String] = []
        for (bit, name) in accept ? Self.acceptNames : Self.names where rawValue & bit != 0 {
            parts.append(name)
            rest &= ~bit
        }
        if rest != 0 { parts.append("0x" + String(UInt32(bitPattern: rest), radix: 16)) }
        return parts.joined(separator: "|")
    }

    /// Parses `names(accept:)` back; `nil` when a part is neither a name nor hex.
    public init?(names text: String) {
        var value: Int32 = 0
        for part in text.split(separator: "|") {
            if let known = (Self.names + Self.acceptNames).first(where: { $0.1 == part }) {
                value |= known.0
            } else if part.hasPrefix("0x"), let bits = UInt32(part.dropFirst(2), radix: 16) {
                value |= Int32(bitPattern: bits)
            } else {
                return nil
            }
        }
        self.init(rawValue: value)
    }
}
