extension SessionCall {
    /// The socket call (the `call=` word).
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case accept, connect, recv, send, shutdown, close, reset, error
    }

    /// The `how` of `shutdown(2)` (the `how=` word).
    public enum ShutdownHow: String, Sendable, Hashable, CaseIterable {
        case read = "SHUT_RD"
        case write = "SHUT_WR"
        case both = "SHUT_RDWR"

        /// The value `shutdown(2)` takes (0, 1, 2).
        public init?(code: Int32) {
            guard code >= 0, code < 3 else { return nil }
            self = [.read, .write, .both][Int(code)]
        }
    }

    /// What `seam proxy --rechunk` did to one write on purpose (the `rechunk=` word).
    public enum Rechunk: String, Sendable, Hashable, CaseIterable {
        /// One piece of a write the proxy cut (`split:N`, `random:MIN-MAX`).
        case split
        /// A write that joins several reads the proxy held (`coalesce:MS`).
        case coalesce
        /// A UDP datagram the proxy cut short on purpose.
        case truncate
    }
}

extension Transport {
    /// `EXP_PDU_PT_TCP` (2) / `EXP_PDU_PT_UDP` (3) of Wireshark's `wsutil/exported_pdu_tlvs.h`.
    public var exportedPDUPortType: UInt32 { self == .tcp ? 2 : 3 }
}
