/// An IPv4 or IPv6 address held inline (no allocation), comparable so flow keys can be ordered.
public enum IPAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    case v4(UInt32)
    case v6(UInt64, UInt64)

    /// The address from 4 or 16 bytes in network order; `nil` for other lengths.
    public init?<Bytes: Collection<UInt8>>(bytes: Bytes) {
        switch bytes.count {
        case 4:
            var v: UInt32 = 0
            for b in bytes { v = v << 8 | UInt32(b) }
            self = .v4(v)
        case 16:
            var high: UInt64 = 0
            var low: UInt64 = 0
            for (i, b) in bytes.enumerated() {
                if i < 8 { high = high << 8 | UInt64(b) } else { low = low << 8 | UInt64(b) }
            }
            self = .v6(high, low)
        default:
            return nil
        }
    }

    /// Parses dotted-quad IPv4 or RFC 4291 IPv6 text (`::1`, `fe80::1`); `nil` if it is neither.
    public init?(_ text: String) {
        if let v4 = IPAddress.parseIPv4(Substring(text)) {
            self = .v4(v4)
            return
        }
        guard let words = IPAddress.parseIPv6(text) else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for i in 0..<4 { high = high << 16 | UInt64(words[i]) }
        for i in 4..<8 { low = low << 16 | UInt64(words[i]) }
        self = .v6(high, low)
    }

    public var isIPv6: Bool { if case .v6 = self { return true } else { return false } }

    /// 127.0.0.0/8, ::1, or ::ffff:127.0.0.0/104.
    public var isLoopback: Bool {
        switch self {
        case .v4(let v): return v >> 24 == 127
        case .v6(let high, let low): return high == 0 && (low == 1 || low >> 24 == 0xffff_7f)
        }
    }

    /// The address in network byte order (4 or 16 bytes).
    public var bytes: [UInt8] {
        switch self {
        case .v4(let v):
            return [UInt8(v >> 24), UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff)]
        case .v6(let high, let low):
            return (0..<8).map { UInt8(high >> (56 - 8 * UInt64($0)) & 0xff) }
                + (0..<8).map { UInt8(low >> (56 - 8 * UInt64($0)) & 0xff) }
        }
    }

    /// Dotted quad, or RFC 5952 IPv6 text (longest zero run compressed).
    public var description: String {
        switch self {
        case .v4(let v):
            return "\(v >> 24).\(v >> 16 & 0xff).\(v >> 8 & 0xff).\(v & 0xff)"
        case .v6(let high, let low):
            let words = (0..<4).map { UInt16(high >> (48 - 16 * UInt64($0)) & 0xffff) }
                + (0..<4).map { UInt16(low >> (48 - 16 * UInt64($0)) & 0xffff) }
            var bestStart = -1
            var bestLength = 0
            var i = 0
            while i < 8 {
                if words[i] == 0 {
                    var j = i
                    while j < 8 && words[j] == 0 { j += 1 }
                    if j - i > bestLength && j - i >= 2 { (bestStart, bestLength) = (i, j - i) }
                    i = j
                } else {
                    i += 1
                }
            }
            func hex(_ range: Range<Int>) -> String {
                range.map { String(words[$0], radix: 16) }.joined(separator: ":")
            }
            if bestStart < 0 { return hex(0..<8) }
            return hex(0..<bestStart) + "::" + hex((bestStart + bestLength)..<8)
        }
    }

    static func parseIPv4(_ text: Substring) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, let octet = UInt32(part), octet <= 255 else { return nil }
            value = value << 8 | octet
        }
        return value
    }

    static func parseIPv6(_ text: String) -> [UInt16]? {
        var text = Substring(text)
        if let percent = text.firstIndex(of: "%") { text = text[..<percent] }  // zone id
        var halves: [String] = []
        let chars = Array(text)
        var current = ""
        var i = 0
        while i < chars.count {
            if chars[i] == ":" && i + 1 < chars.count && chars[i + 1] == ":" {
                halves.append(current)
                current = ""
                i += 2
            } else {
                current.append(chars[i])
                i += 1
            }
        }
        halves.append(current)
        guard halves.count <= 2 else { return nil }
        func words(_ part: String) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index == pieces.count - 1, piece.contains("."), let v4 = parseIPv4(piece) {
                    result.append(UInt16(v4 >> 16))
                    result.append(UInt16(v4 & 0xffff))
                } else {
                    guard !piece.isEmpty, piece.count <= 4, let w = UInt16(piece, radix: 16) else { return nil }
                    result.append(w)
                }
            }
            return result
        }
        guard let head = words(halves[0]) else { return nil }
        if halves.count == 1 { return head.count == 8 ? head : nil }
        guard let tail = words(halves[1]), head.count + tail.count <= 7 else { return nil }
        return head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
    }
}

/// An address and a port: one end of a TCP or UDP flow.
public struct Endpoint: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var address: IPAddress
    public var port: UInt16

    public init(address: IPAddress, port: UInt16) {
        self.address = address
        self.port = port
    }

    /// Parses `HOST:PORT`, `[V6]:PORT`; `nil` when it is neither.
    public init?(_ text: String) {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard let address = IPAddress(String(host)), let port = UInt16(portText) else { return nil }
        self.init(address: address, port: port)
    }

    public static func < (lhs: Endpoint, rhs: Endpoint) -> Bool {
        (lhs.address, lhs.port) < (rhs.address, rhs.port)
    }

    /// `1.2.3.4:80` or `[::1]:80`.
    public var description: String {
        address.isIPv6 ? "[\(address)]:\(port)" : "\(address):\(port)"
    }
}
