/// The detections of both directions of a connection, and the framing picked for each.
///
/// A protocol that fits one direction clearly and also fits the other (perhaps up to a cut: a connection that
/// ended inside a message) is picked for both, even where the other direction alone would rank a generic
/// layout first (Kafka's responses are plain size-prefixed messages, but after Kafka requests they are Kafka);
/// otherwise each direction gets its own clear best fit.
public struct FlowFramingDetection: Sendable {
    /// Client → server.
    public var clientToServer: FramingDetection
    /// Server → client.
    public var serverToClient: FramingDetection

    public init(clientToServer: FramingDetection, serverToClient: FramingDetection) {
        self.clientToServer = clientToServer
        self.serverToClient = serverToClient
    }

    /// The detection of `direction`.
    public subscript(direction: Direction) -> FramingDetection {
        direction == .clientToServer ? clientToServer : serverToClient
    }

    /// The fit picked for `direction`, `nil` when none fits clearly (or the direction has no bytes).
    public func picked(_ direction: Direction) -> FramingFit? {
        let mine = self[direction]
        let other = self[direction.reversed]
        if let theirs = other.best, other.isClear, theirs.spec.isProtocol, let fit = mine.fit(of: theirs.spec),
            fit.isFit || mine.bytes == 0
        {
            return mine.bytes == 0 ? nil : fit
        }
        return mine.isClear ? mine.best : nil
    }

    /// The picked framing of both directions; `fallback` where nothing fits clearly.
    public func framing(fallback: FramingSpec = .sends) -> DirectionFraming {
        DirectionFraming(
            clientToServer: picked(.clientToServer)?.spec ?? fallback,
            serverToClient: picked(.serverToClient)?.spec ?? fallback
        )
    }

    /// `c2s: pgsql, 100 % of 1.2 MB parsed, …` and `s2c: …`, or `nothing fits clearly`.
    public func summary(_ direction: Direction) -> String {
        let detection = self[direction]
        if detection.bytes == 0 { return "\(direction.rawValue): no bytes" }
        guard let fit = picked(direction) else {
            return "\(direction.rawValue): nothing fits clearly"
                + (detection.best.map { " (best: \($0))" } ?? "")
        }
        return "\(direction.rawValue): \(fit)"
    }
}
