#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One fuzzed entry point of SeamCore: what it feeds the input to. Every target must return for every input;
/// a trap, a sanitizer report or a broken invariant (checked with `precondition`) is a finding.
enum FuzzTarget: String, CaseIterable {
    /// A pcap file (the first 4 bytes are forced to one of the four pcap magics) through the whole pipeline.
    case pcap
    /// A pcapng file (the first 4 bytes are forced to the SHB type) through the whole pipeline.
    case pcapng
    /// Frames for `PacketDecoder`: byte 0 picks the link type, then 2-byte-length-prefixed frames.
    case decoder
    /// TCP segments decoded from the input (`FuzzSegmentScript`) fed to a pair of `TCPReassembler`s directly
    /// (`FuzzReassembler`), nothing built or parsed: tens of thousands of inputs a second.
    case reassembler
    /// The same segments handed to `FlowTable` as decoded packets (`FuzzFlows`), the whole `StreamConsumer`
    /// contract and the counters checked (`FuzzContractConsumer`).
    case flows
    /// A TCP conversation built as real frames (`TCPConversationBuilder`: checksums, IP and TCP headers) and
    /// decoded again before the flow table: slower, but it covers the builder and the decoder on whole
    /// conversations, which the other targets do not (the reassembler target skips them, `decoder` takes
    /// arbitrary frames).
    case conversation
    /// Byte 0 picks a framing spec, byte 1 the chunking; the rest is the stream fed to a `MessageFramer`.
    case framing
    /// The input as text for `FramingSpec(parsing:)`, `FramingSpec.guess` and `SessionCall(parsingComment:)`.
    case spec
    /// Byte 0 picks a framing; the rest is a capture analysed by `ReportBuilder` and rendered as text, JSON, HTML.
    case report

    func run(_ bytes: [UInt8]) {
        switch self {
        case .pcap: FuzzCaptureFile.run(bytes, magics: [0xA1B2_C3D4, 0xA1B2_3C4D, 0xD4C3_B2A1, 0x4D3C_B2A1])
        case .pcapng: FuzzCaptureFile.run(bytes, magics: [0x0A0D_0D0A])
        case .decoder: FuzzPackets.decode(bytes)
        case .reassembler: FuzzReassembler.run(bytes)
        case .flows: FuzzFlows.run(bytes)
        case .conversation: FuzzPackets.conversation(bytes)
        case .framing: FuzzFraming.frame(bytes)
        case .spec: FuzzFraming.parseSpec(bytes)
        case .report: FuzzReport.run(bytes)
        }
    }
}
