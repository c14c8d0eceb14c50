#if canImport(Glibc)
import Glibc
#endif

/// The local ports of the listening TCP sockets (`/proc/net/tcp` and `tcp6`, state 0A), to tell which
/// sockets seen in the middle of their life are a server's.
enum ListeningPorts {
    static func current() -> Set<UInt16> {
        var ports: Set<UInt16> = []
        for path in ["/proc/net/tcp", "/proc/net/tcp6"] {
            guard let file = fopen(path, "r") else { continue }
            defer { fclose(file) }
            var line = [CChar](repeating: 0, count: 512)
            while fgets(&line, Int32(line.count), file) != nil {
                let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                ports.formUnion(parse(line: text))
            }
        }
        return ports
    }

    /// The port of one line of /proc/net/tcp when its state is LISTEN: `  0: 0100007F:1F90 00000000:0000 0A …`.
    static func parse(line: String) -> Set<UInt16> {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count > 3, fields[3] == "0A", let colon = fields[1].lastIndex(of: ":"),
            let port = UInt16(fields[1][fields[1].index(after: colon)...], radix: 16)
        else { return [] }
        return [port]
    }
}
