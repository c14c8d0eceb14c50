extension SessionCall {
    /// The socket call the proxy made (the `call=` word).
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case accept, connect, recv, send, shutdown, close, reset, error
    }

    /// Which side of the proxy the call was on (the `leg=` word): `downstream` is client↔proxy, `upstream`
    /// proxy↔server, `app` a call of a traced program.
    public enum Leg: String, Sendable, Hashable, CaseIterable {
        case downstream, upstream, app
    }

    /// The socket's protocol (the `proto=` word, and the exported PDU's port type).
    public enum Transport: String, Sendable, Hashable, CaseIterable {
        case tcp, udp

        /// `EXP_PDU_PT_TCP` (2) / `EXP_PDU_PT_UDP` (3) of Wireshark's `wsutil/exported_pdu_tlvs.h`.
        public var exportedPDUPortType: UInt32 { self == .tcp ? 2 : 3 }
    }
}
