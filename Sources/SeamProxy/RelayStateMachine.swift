import SeamCore

/// The life of one relayed TCP connection (two legs) as a value: events in, actions out.
///
/// It knows nothing of channels, so it is tested with plain values. The rules:
/// - a FIN read on one leg becomes a `shutdown(SHUT_WR)` on the other once that leg's queued writes are out;
/// - when both legs have read their FIN, both are closed (each after its queued writes);
/// - a leg that fails (RST, any socket error) makes the other leg end with a RST;
/// - a leg that closes without failing (NIO closes a leg that reads FIN after we sent ours) closes the
///   other leg after its queued writes, which sends FIN.
///
/// ```
///   client ──FIN──▶ [downstream]  readEOF(.downstream) ─▶ shutdownOutput(.upstream) ──FIN──▶ server
///   client ◀──FIN── [downstream]  shutdownOutput(.downstream) ◀─ readEOF(.upstream)  ◀──FIN── server
///                                 (both FINs read) ─▶ close(.downstream), close(.upstream)
///   client ──RST──▶ [downstream]  failed(.downstream) ─▶ reset(.upstream) ──RST──▶ server
/// ```
public struct RelayStateMachine: Sendable, Equatable {
    /// What the relay must do to a leg.
    public enum Action: Sendable, Equatable {
        /// Send FIN on the leg after its queued writes are written.
        case shutdownOutput(Leg)
        /// Close the leg after its queued writes are written.
        case close(Leg)
        /// Abort the leg: SO_LINGER 0, then close, so the peer sees RST.
        case reset(Leg)
    }

    struct LegState: Sendable, Equatable {
        var readEOF = false
        var outputShut = false
        var closed = false
        var closing = false
        var failed = false
    }

    private var downstream = LegState()
    private var upstream = LegState()

    public init() {}

    private subscript(side: Leg) -> LegState {
        get { side == .downstream ? downstream : upstream }
        set { if side == .downstream { downstream = newValue } else { upstream = newValue } }
    }

    /// Whether both directions ended with a FIN.
    public var bothDirectionsFinished: Bool { downstream.readEOF && upstream.readEOF }

    /// Whether both legs are closed.
    public var isFinished: Bool { downstream.closed && upstream.closed }

    /// The leg read end-of-file (its peer sent FIN).
    public mutating func readEOF(on side: Leg) -> [Action] {
        guard !self[side].readEOF, !self[side].closed else { return [] }
        self[side].readEOF = true
        let other = side.partner
        if self[other].closed || self[other].closing { return [] }
        if bothDirectionsFinished {
            self[other].closing = true
            self[side].closing = true
            return [.close(other), .close(side)]
        }
        self[other].outputShut = true
        return [.shutdownOutput(other)]
    }

    /// The leg's channel became inactive (closed by us, by the peer's RST, or by an error).
    public mutating func closed(_ side: Leg) -> [Action] {
        guard !self[side].closed else { return [] }
        self[side].closed = true
        let other = side.partner
        if self[other].closed || self[other].closing { return [] }
        self[other].closing = true
        return [self[side].failed ? .reset(other) : .close(other)]
    }

    /// The leg failed with an error (a connection reset by the peer or any other): the other leg is reset.
    public mutating func failed(_ side: Leg) -> [Action] {
        self[side].failed = true
        self[side].closing = true  // the failed leg closes itself
        let other = side.partner
        guard !self[other].closed, !self[other].closing else { return [] }
        self[other].closing = true
        return [.reset(other)]
    }

    /// Nothing moved on either leg for the idle timeout: close both legs.
    public mutating func idleTimeout() -> [Action] {
        var actions: [Action] = []
        for side in [Leg.downstream, .upstream] where !self[side].closed && !self[side].closing {
            self[side].closing = true
            actions.append(.close(side))
        }
        return actions
    }
}

extension Leg {
    /// The other leg of the same connection.
    public var other: Leg { self == .downstream ? .upstream : .downstream }
}
