/// Wireshark's exported PDU (`LINKTYPE_WIRESHARK_UPPER_PDU`, 252), as `wsutil/exported_pdu_tlvs.h` defines
/// it: a list of TLVs, each `tag(2, big-endian) length(2, big-endian) value`, ended by `EXP_PDU_TAG_END_OF_OPT`
/// (tag 0, length 0), then the PDU's bytes. Values are padded to 4 bytes and the length counts the padding,
/// as Wireshark's own writer does; all values Seam writes are already multiples of 4.
///
/// ```
/// 0x000c 4 "data"              EXP_PDU_TAG_DISSECTOR_NAME: the dissector of the payload (`data`, or the
///                              protocol the session's framing names: `http`, `resp`, `tls`…)
/// 0x0021 4 "seam"              EXP_PDU_TAG_COL_PROT_TEXT: the Protocol column
/// 0x0024 n "send c2s [0,5) …"  EXP_PDU_TAG_COL_INFO_TEXT: the Info column (Wireshark 4.2 and later)
/// 0x0014 4 127.0.0.1           EXP_PDU_TAG_IPV4_SRC   (0x0016 16 …: EXP_PDU_TAG_IPV6_SRC)
/// 0x0015 4 127.0.0.1           EXP_PDU_TAG_IPV4_DST   (0x0017 16 …: EXP_PDU_TAG_IPV6_DST)
/// 0x0018 4 2 (TCP) / 3 (UDP)   EXP_PDU_TAG_PORT_TYPE  (EXP_PDU_PT_TCP / EXP_PDU_PT_UDP)
/// 0x0019 4 51000               EXP_PDU_TAG_SRC_PORT   (32-bit)
/// 0x001a 4 9000                EXP_PDU_TAG_DST_PORT   (32-bit)
/// 0x0000 0                     EXP_PDU_TAG_END_OF_OPT
/// payload…
/// ```
extension SessionCall {
    enum ExportedPDUTag {
        static let endOfOptions: UInt16 = 0
        static let dissectorName: UInt16 = 12
        static let ipv4Source: UInt16 = 20
        static let ipv4Destination: UInt16 = 21
        static let ipv6Source: UInt16 = 22
        static let ipv6Destination: UInt16 = 23
        static let portType: UInt16 = 24
        static let sourcePort: UInt16 = 25
        static let destinationPort: UInt16 = 26
        static let protocolColumn: UInt16 = 33
        static let infoColumn: UInt16 = 36
    }

    /// The packet data of the call's EPB: the tags, then the payload when there is one. The call's words
    /// go in the EPB's comment (`commentWords`), not here.
    public func exportedPDU(dissector: String = "data") -> [UInt8] {
        var bytes = exportedPDUTags(dissector: dissector, payloadPreview: payload?.prefix(24))
        if let payload { bytes += payload }
        return bytes
    }

    /// The tags of the call's exported PDU, ending with `EXP_PDU_TAG_END_OF_OPT`: what goes before the payload.
    /// `payloadPreview` is the start of the payload, quoted in the Info column.
    public func exportedPDUTags(dissector: String, payloadPreview: (some Collection<UInt8>)?) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(160)
        Self.appendTag(ExportedPDUTag.dissectorName, dissector.utf8, to: &bytes)
        Self.appendTag(ExportedPDUTag.protocolColumn, "seam".utf8, to: &bytes)
        Self.appendTag(ExportedPDUTag.infoColumn, infoText(payloadPreview: payloadPreview).utf8, to: &bytes)
        if let source {
            let tag = source.address.isIPv6 ? ExportedPDUTag.ipv6Source : ExportedPDUTag.ipv4Source
            Self.appendTag(tag, source.address.bytes, to: &bytes)
        }
        if let destination {
            let tag = destination.address.isIPv6 ? ExportedPDUTag.ipv6Destination : ExportedPDUTag.ipv4Destination
            Self.appendTag(tag, destination.address.bytes, to: &bytes)
        }
        if source != nil || destination != nil {
            Self.appendTag(ExportedPDUTag.portType, bigEndian: transport.exportedPDUPortType, to: &bytes)
        }
        if let source { Self.appendTag(ExportedPDUTag.sourcePort, bigEndian: UInt32(source.port), to: &bytes) }
        if let destination {
            Self.appendTag(ExportedPDUTag.destinationPort, bigEndian: UInt32(destination.port), to: &bytes)
        }
        Self.appendTag(ExportedPDUTag.endOfOptions, EmptyCollection<UInt8>(), to: &bytes)
        return bytes
    }

    /// The Info column: the call, its direction and byte range, the bytes moved and the first of them, e.g.
    /// `send c2s [0,5) 5 B "hello"`, `recv s2c [11,11) EOF`, `connect 127.0.0.1:40000 -> 127.0.0.1:9000`.
    public func infoText(payloadPreview: (some Collection<UInt8>)?) -> String {
        var text = kind.rawValue
        if let direction { text += " " + direction.rawValue }
        if let range = byteRange {
            text += " [\(range.lowerBound),\(range.upperBound))"
            if range.isEmpty && kind == .recv {
                text += " EOF"
            } else {
                text += " \(range.count) B"
            }
            if let bufferSize { text += " (buf \(bufferSize))" }
            if let preview = payloadPreview, !preview.isEmpty {
                text += " \"" + SummaryText.escaped(Array(preview.prefix(24))) + (range.count > 24 ? "…" : "") + "\""
            }
        } else if let source, let destination {
            text += " \(source) -> \(destination)"
        }
        if let truncatedBytes { text += ", \(truncatedBytes) B truncated" }
        if let rechunk { text += " (rechunk: \(rechunk.rawValue))" }
        if let failure { text += " " + failure.description }
        if let program, let function = program.function { text += " [\(function), pid \(program.pid)]" }
        return text
    }

    /// Reads a call back from its record: the words from the comment that starts with `call=`, addresses,
    /// ports and port type from the tags (the comment's `src`/`dst`/`proto` when the tags have none), and the
    /// payload after the end tag (`nil` when no bytes follow it).
    public static func decode(record: PacketRecord) throws -> SessionCall {
        let label = "frame \(record.frameNumber)"
        guard record.linkType == .wiresharkUpperPDU else {
            throw SessionFormatError(input: label, problem: "link type \(record.linkType) is not WIRESHARK_UPPER_PDU")
        }
        guard let comment = record.comments.first(where: { $0.hasPrefix("call=") }) else {
            throw SessionFormatError(input: label, problem: "no comment with call= words")
        }
        var call = try SessionCall(parsingComment: comment, timestamp: record.timestamp)
        var cursor = ByteCursor(record.data)
        var sourceAddress: IPAddress?
        var destinationAddress: IPAddress?
        var sourcePort: UInt16?
        var destinationPort: UInt16?
        while true {
            guard let tag = cursor.readUInt16(), let length = cursor.readUInt16(),
                let value = cursor.readSlice(length: Int(length))
            else {
                throw SessionFormatError(input: label, problem: "exported PDU tags run past the end of the packet")
            }
            let number = ByteCursor(value).getUInt32(at: value.startIndex)
            switch tag {
            case ExportedPDUTag.endOfOptions:
                let rest = cursor.bytes[cursor.readerIndex...]
                call.payload = rest.isEmpty ? nil : Array(rest)
                if let sourceAddress, let sourcePort {
                    call.source = Endpoint(address: sourceAddress, port: sourcePort)
                }
                if let destinationAddress, let destinationPort {
                    call.destination = Endpoint(address: destinationAddress, port: destinationPort)
                }
                return call
            case ExportedPDUTag.ipv4Source, ExportedPDUTag.ipv6Source:
                sourceAddress = IPAddress(bytes: value.prefix(tag == ExportedPDUTag.ipv4Source ? 4 : 16))
            case ExportedPDUTag.ipv4Destination, ExportedPDUTag.ipv6Destination:
                destinationAddress = IPAddress(bytes: value.prefix(tag == ExportedPDUTag.ipv4Destination ? 4 : 16))
            case ExportedPDUTag.portType:
                if number == 2 { call.transport = .tcp } else if number == 3 { call.transport = .udp }
            case ExportedPDUTag.sourcePort:
                sourcePort = number.map { UInt16(truncatingIfNeeded: $0) }
            case ExportedPDUTag.destinationPort:
                destinationPort = number.map { UInt16(truncatingIfNeeded: $0) }
            default:
                break  // dissector name, columns and tags Seam does not use
            }
        }
    }

    /// Appends one TLV, the value zero-padded to 4 bytes and the length counting the padding.
    /// (Byte by byte into `bytes`: this runs for every call a session records, so no temporary arrays.)
    static func appendTag(_ tag: UInt16, _ value: some Collection<UInt8>, to bytes: inout [UInt8]) {
        let count = value.count
        let padded = (count + 3) & ~3
        bytes.append(UInt8(tag >> 8))  // tag, big-endian
        bytes.append(UInt8(tag & 0xFF))
        bytes.append(UInt8(padded >> 8 & 0xFF))  // length, big-endian
        bytes.append(UInt8(padded & 0xFF))
        bytes.append(contentsOf: value)
        for _ in count..<padded { bytes.append(0) }
    }

    /// Appends one TLV of a 32-bit big-endian value.
    static func appendTag(_ tag: UInt16, bigEndian value: UInt32, to bytes: inout [UInt8]) {
        bytes.append(UInt8(tag >> 8))
        bytes.append(UInt8(tag & 0xFF))
        bytes.append(0)
        bytes.append(4)
        bytes.append(UInt8(truncatingIfNeeded: value >> 24))
        bytes.append(UInt8(truncatingIfNeeded: value >> 16))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}
