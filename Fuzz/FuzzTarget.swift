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
    /// A stream of TCP segments (sequence numbers, flags, payload sizes from the input) through the flow table.
    case reassembler
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
        case .reassembler: FuzzPackets.reassemble(bytes)
        case .framing: FuzzFraming.frame(bytes)
        case .spec: FuzzFraming.parseSpec(bytes)
        case .report: FuzzReport.run(bytes)
        }
    }
}
