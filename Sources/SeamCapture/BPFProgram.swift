import CPcap
import SeamCore

/// A compiled BPF filter, for checking an expression without any privilege and for matching frames offline
/// (`pcap_open_dead` + `pcap_compile`, then `pcap_offline_filter`).
///
/// ```swift
/// let program = try BPFProgram("tcp port 8081", linkType: .ethernet)
/// program.matches(frame)   // true for a TCP segment from or to port 8081
/// ```
public final class BPFProgram: @unchecked Sendable {
    /// The filter expression, tcpdump syntax.
    public let expression: String
    /// The link type the program was compiled for (the filter reads the frames' link-layer header).
    public let linkType: LinkType
    private let program: UnsafeMutablePointer<bpf_program>

    /// Compiles `expression` for frames of `linkType`.
    ///
    /// - Throws: `CaptureError.badFilter` with libpcap's text (`syntax error`, `unknown host 'x'`, …).
    public init(
        _ expression: String,
        linkType: LinkType = .ethernet,
        snapLength: Int = 262_144
    )
        throws(CaptureError)
    {
        guard let dead = pcap_open_dead(linkType.dlt, Int32(snapLength)) else {
            throw .failed(
                interface: "(offline)",
                operation: "opening a libpcap handle for \(linkType)",
                detail: "pcap_open_dead returned nothing"
            )
        }
        defer { pcap_close(dead) }
        program = .allocate(capacity: 1)
        program.initialize(to: bpf_program())
        do {
            try BPFProgram.compile(expression, on: dead, into: program)
        } catch {
            program.deallocate()
            throw error
        }
        self.expression = expression
        self.linkType = linkType
    }

    deinit {
        pcap_freecode(program)
        program.deallocate()
    }

    /// Number of BPF instructions (after libpcap's optimizer).
    public var instructionCount: Int { Int(program.pointee.bf_len) }

    /// Whether the filter accepts `frame`, a whole packet starting with the link-layer header.
    public func matches(_ frame: [UInt8]) -> Bool {
        frame.withUnsafeBufferPointer { bytes in
            var header = pcap_pkthdr()
            header.caplen = bpf_u_int32(bytes.count)
            header.len = bpf_u_int32(bytes.count)
            guard let base = bytes.baseAddress else { return false }
            return pcap_offline_filter(program, &header, base) != 0
        }
    }

    /// Compiles `expression` on `handle` (live or dead) into `program`.
    static func compile(
        _ expression: String,
        on handle: OpaquePointer,
        into program: UnsafeMutablePointer<bpf_program>
    )
        throws(CaptureError)
    {
        // PCAP_NETMASK_UNKNOWN: only `ip broadcast` needs the netmask, and Seam's filters never use it.
        guard pcap_compile(handle, program, expression, 1, bpf_u_int32(0xffff_ffff)) == 0 else {
            throw .badFilter(expression: expression, reason: filterReason(handle))
        }
    }

    /// Compiles `expression` for a live `handle` and installs it (`pcap_setfilter`).
    static func install(_ expression: String, on handle: OpaquePointer) throws(CaptureError) {
        var program = bpf_program()
        try compile(expression, on: handle, into: &program)
        defer { pcap_freecode(&program) }
        guard pcap_setfilter(handle, &program) == 0 else {
            throw .badFilter(expression: expression, reason: filterReason(handle))
        }
    }

    /// libpcap's text without its `can't parse filter expression: ` preamble: `syntax error`.
    static func filterReason(_ handle: OpaquePointer) -> String {
        var text = String(cString: pcap_geterr(handle))
        for preamble in ["can't parse filter expression: ", "syntax error in filter expression: "]
        where text.hasPrefix(preamble) {
            text.removeFirst(preamble.count)
        }
        return text
    }
}
