extension SessionCall {
    /// The socket call the proxy made (the `call=` word).
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case accept, connect, recv, send, shutdown, close, reset, error
    }
}

extension Transport {
    /// `EXP_PDU_PT_TCP` (2) / `EXP_PDU_PT_UDP` (3) of Wireshark's `wsutil/exported_pdu_tlvs.h`.
    public var exportedPDUPortType: UInt32 { self == .tcp ? 2 : 3 }
}
