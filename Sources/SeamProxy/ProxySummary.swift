import SeamCore

/// What a proxy run did, for the closing paragraph.
public struct ProxySummary: Sendable, Equatable {
    public var transport: Transport
    public var listen: String
    public var upstream: String
    public var seconds: Double
    public var accepted: Int
    public var closed: Int
    public var failedConnects: Int
    public var bytesClientToServer: UInt64
    public var bytesServerToClient: UInt64
    public var peakBufferedBytes: Int
    public var datagrams: Int
    public var truncatedDatagrams: Int
    /// Connections still open when the drain time ran out, closed by force.
    public var forcedClosed: Int
    /// Why the run ended: `signal`, `connections`, `duration`, `shutdown`.
    public var reason: String

    /// One paragraph for people.
    public var paragraph: String {
        let seconds = (self.seconds * 10).rounded() / 10
        let noun = transport == .tcp ? "connection" : "client mapping"
        var text = "seam proxy (\(transport.rawValue)) \(listen) -> \(upstream) ran \(seconds) s and ended by \(reason): "
        text += "\(counted(accepted, noun)) accepted, \(closed) closed"
        if failedConnects > 0 { text += ", \(failedConnects) of them because the upstream connect failed" }
        if forcedClosed > 0 { text += ", \(forcedClosed) closed by force after the drain time" }
        text += "; \(counted(bytesClientToServer, "byte")) client→server, \(counted(bytesServerToClient, "byte")) server→client"
        if transport == .udp {
            text += " in \(counted(datagrams, "datagram"))"
            if truncatedDatagrams > 0 { text += ", \(truncatedDatagrams) longer than the receive size" }
        } else {
            text += peakBufferedBytes == 0
                ? "; no leg's write queue ever filled"
                : "; at most \(counted(peakBufferedBytes, "byte")) queued on one leg (a reader was slower than its writer)"
        }
        return text + "."
    }

    /// The same as one JSON object.
    public var json: String {
        "{\"summary\":{\"transport\":\"\(transport.rawValue)\",\"listen\":\"\(listen)\",\"upstream\":\"\(upstream)\","
            + "\"seconds\":\(seconds),\"reason\":\"\(reason)\",\"accepted\":\(accepted),\"closed\":\(closed),"
            + "\"failed_connects\":\(failedConnects),\"forced_closed\":\(forcedClosed),"
            + "\"bytes_c2s\":\(bytesClientToServer),\"bytes_s2c\":\(bytesServerToClient),"
            + "\"peak_buffered_bytes\":\(peakBufferedBytes),\"datagrams\":\(datagrams),"
            + "\"truncated_datagrams\":\(truncatedDatagrams)}}"
    }
}
