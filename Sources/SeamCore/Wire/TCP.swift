/// A checked, zero-copy view of a TCP segment (RFC 9293 §3.1).
///
/// ```
/// |          Source Port          |       Destination Port        |
/// |                        Sequence Number                        |
/// |                    Acknowledgment Number                      |
/// |  Data |       |N|C|E|U|A|P|R|S|F|                               |
/// | Offset| Rsrvd |S|W|C|R|C|S|S|Y|I|            Window             |
/// |           Checksum            |         Urgent Pointer        |
/// |                    Options (data offset > 5)                  |
/// ```
///
/// `init(checking:segmentLength:)` needs the 20-byte fixed header captured, a data offset of at least 5, and a
/// header that fits in the segment length the IP layer claims. The options area may be cut by the snaplen
/// (`isHeaderTruncated`; the payload is then empty).
public struct TCPSegmentView: Sendable {
    /// The segment as captured, up to the IP layer's length.
    public let bytes: ArraySlice<UInt8>
    /// The segment length the IP layer claims (header plus payload).
    public let segmentLength: Int
    /// Header length in bytes (data offset × 4).
    public let headerLength: Int

    @inline(__always) public init(checking data: ArraySlice<UInt8>, segmentLength: Int) throws(DecodeProblem) {
        guard segmentLength >= 20 else {
            throw DecodeProblem(layer: .tcp, reason: "segment length \(segmentLength) < 20-byte header")
        }
        guard data.count >= 20 else {
            throw DecodeProblem(layer: .tcp, reason: "header needs 20 bytes, \(data.count) captured")
        }
        let headerLength = Int(data.wireUInt8(12) >> 4) * 4
        guard headerLength >= 20 else {
            throw DecodeProblem(layer: .tcp, reason: "data offset \(headerLength / 4) < 5")
        }
        guard headerLength <= segmentLength else {
            throw DecodeProblem(
                layer: .tcp, reason: "header length \(headerLength) > segment length \(segmentLength)")
        }
        self.bytes = data.wireSlice(from: 0, length: segmentLength)
        self.segmentLength = segmentLength
        self.headerLength = headerLength
    }

    public var sourcePort: UInt16 { bytes.wireUInt16(0) }
    public var destinationPort: UInt16 { bytes.wireUInt16(2) }
    public var sequenceNumber: UInt32 { bytes.wireUInt32(4) }
    public var acknowledgmentNumber: UInt32 { bytes.wireUInt32(8) }
    public var flags: TCPFlags { TCPFlags(rawValue: bytes.wireUInt16(12) & 0x01ff) }
    public var window: UInt16 { bytes.wireUInt16(14) }
    public var checksum: UInt16 { bytes.wireUInt16(16) }
    public var urgentPointer: UInt16 { bytes.wireUInt16(18) }
    /// The options area as captured (shorter than `headerLength - 20` when the snaplen cut it).
    @inline(__always) public var options: ArraySlice<UInt8> { bytes.wireSlice(from: 20, length: headerLength - 20) }
    /// Whether the snaplen cut the header's options.
    public var isHeaderTruncated: Bool { bytes.count < headerLength }
    /// The payload as captured.
    @inline(__always) public var payload: ArraySlice<UInt8> {
        bytes.wireSlice(from: headerLength, length: payloadLength)
    }
    /// The payload length the IP layer claims.
    public var payloadLength: Int { segmentLength - headerLength }
}

extension TCPHeader {
    /// Parses the header of a checked view, options included (`options.isTruncated` when cut short).
    @inline(__always) public init(_ view: TCPSegmentView) {
        var options = TCPOptions(parsing: view.options)
        if view.isHeaderTruncated { options.isTruncated = true }
        self.init(
            sourcePort: view.sourcePort, destinationPort: view.destinationPort,
            sequenceNumber: view.sequenceNumber, acknowledgmentNumber: view.acknowledgmentNumber,
            headerLength: view.headerLength, flags: view.flags, window: view.window, checksum: view.checksum,
            urgentPointer: view.urgentPointer, options: options)
    }

    /// Parses a TCP header at the start of `bytes`, which hold the whole segment.
    public init(parsing bytes: ArraySlice<UInt8>) throws(DecodeProblem) {
        self.init(try TCPSegmentView(checking: bytes, segmentLength: bytes.count))
    }

    /// Appends the header; the data offset comes from the options it encodes (`headerLength` is not read), the
    /// checksum field is written as it is (`PacketBuilder` fills the real one).
    public func emit(into out: inout [UInt8]) {
        var encodedOptions: [UInt8] = []
        options.emit(into: &encodedOptions)
        out.appendUInt16(sourcePort)  // source port
        out.appendUInt16(destinationPort)  // destination port
        out.appendUInt32(sequenceNumber)  // sequence number
        out.appendUInt32(acknowledgmentNumber)  // acknowledgment number
        let dataOffset = UInt16((20 + encodedOptions.count) / 4)
        out.appendUInt16(dataOffset << 12 | flags.rawValue & 0x01ff)  // data offset, reserved, control bits
        out.appendUInt16(window)  // window
        out.appendUInt16(checksum)  // checksum
        out.appendUInt16(urgentPointer)  // urgent pointer
        out.append(contentsOf: encodedOptions)
    }
}

extension TCPOptions {
    /// Option kinds (IANA "TCP Option Kind Numbers").
    enum Kind {
        static let endOfList: UInt8 = 0
        static let noOperation: UInt8 = 1
        static let maximumSegmentSize: UInt8 = 2
        static let windowScale: UInt8 = 3
        static let sackPermitted: UInt8 = 4
        static let sack: UInt8 = 5
        static let timestamp: UInt8 = 8
    }

    /// Parses an options area. Unknown options are skipped by their length; an option whose length runs past
    /// the area, or a length below 2, ends parsing with `isTruncated`. Allocates only when SACK blocks exist.
    @inline(__always) public init(parsing area: ArraySlice<UInt8>) {
        self.init()
        let count = area.count
        // Fast path, like Linux's tcp_parse_aligned_timestamp: NOP NOP TS is the options area of most segments.
        if count == 12 && area.wireUInt32(0) == 0x0101_080a {
            timestamp = TCPTimestampOption(value: area.wireUInt32(4), echoReply: area.wireUInt32(8))
            return
        }
        var index = 0
        while index < count {
            let kind = area.wireUInt8(index)
            if kind == Kind.endOfList { return }
            if kind == Kind.noOperation {
                index += 1
                continue
            }
            guard index + 1 < count else {
                isTruncated = true
                return
            }
            let length = Int(area.wireUInt8(index + 1))
            guard length >= 2, index + length <= count else {
                isTruncated = true
                return
            }
            switch (kind, length) {
            case (Kind.maximumSegmentSize, 4):
                maximumSegmentSize = area.wireUInt16(index + 2)
            case (Kind.windowScale, 3):
                windowScale = area.wireUInt8(index + 2)
            case (Kind.sackPermitted, 2):
                sackPermitted = true
            case (Kind.sack, _) where (length - 2) % 8 == 0 && length > 2:
                var blocks: [SACKBlock] = []
                blocks.reserveCapacity((length - 2) / 8)
                var at = index + 2
                while at + 8 <= index + length {
                    blocks.append(SACKBlock(left: area.wireUInt32(at), right: area.wireUInt32(at + 4)))
                    at += 8
                }
                sackBlocks = blocks
            case (Kind.timestamp, 10):
                timestamp = TCPTimestampOption(value: area.wireUInt32(index + 2), echoReply: area.wireUInt32(index + 6))
            default:
                break  // unknown kind, or a known kind of a wrong length: skipped
            }
            index += length
        }
    }

    /// Appends the options in Linux's order and padding (so Linux captures round-trip byte for byte):
    /// MSS; SACK-permitted with timestamps, or NOP NOP SACK-permitted; NOP NOP timestamps; NOP window scale;
    /// NOP NOP SACK blocks; then EOL bytes up to a multiple of 4.
    public func emit(into out: inout [UInt8]) {
        let start = out.count
        if let mss = maximumSegmentSize {
            out += [Kind.maximumSegmentSize, 4]
            out.appendUInt16(mss)
        }
        if sackPermitted {
            if timestamp == nil { out += [Kind.noOperation, Kind.noOperation] }
            out += [Kind.sackPermitted, 2]
        }
        if let timestamp {
            if !sackPermitted { out += [Kind.noOperation, Kind.noOperation] }
            out += [Kind.timestamp, 10]
            out.appendUInt32(timestamp.value)
            out.appendUInt32(timestamp.echoReply)
        }
        if let windowScale { out += [Kind.noOperation, Kind.windowScale, 3, windowScale] }
        if !sackBlocks.isEmpty {
            out += [Kind.noOperation, Kind.noOperation, Kind.sack, UInt8(2 + 8 * sackBlocks.count)]
            for block in sackBlocks {
                out.appendUInt32(block.left)
                out.appendUInt32(block.right)
            }
        }
        while (out.count - start) % 4 != 0 { out.append(Kind.endOfList) }
    }
}
