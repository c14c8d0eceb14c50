import Foundation

@testable import SeamCore

/// Bytes from hex text; spaces and newlines are ignored.
func hexBytes(_ text: String) -> [UInt8] {
    let digits = text.filter { $0.isHexDigit }
    var out: [UInt8] = []
    var index = digits.startIndex
    while index < digits.endIndex {
        let next = digits.index(index, offsetBy: 2)
        out.append(UInt8(digits[index..<next], radix: 16)!)
        index = next
    }
    return out
}

/// A minimal pcap reader and writer for the Wire tests (the real reader lives in Files/).
enum TestPcap {
    static let corpus = TestCorpus.directory + "/"

    static func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: corpus + name) }

    /// Every record of a classic pcap file (either byte order, micro- or nanoseconds).
    static func read(_ path: String) throws -> [PacketRecord] {
        let data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path.hasPrefix("/") ? path : corpus + path)))
        let cursor = ByteCursor(data)
        guard let magic = cursor.getUInt32(at: 0) else { return [] }
        let little = magic == 0xd4c3_b2a1 || magic == 0x4d3c_b2a1
        let nano = magic == 0xa1b2_3c4d || magic == 0x4d3c_b2a1
        func u32(_ at: Int) -> Int? {
            (little ? cursor.getUInt32LittleEndian(at: at) : cursor.getUInt32(at: at)).map(Int.init)
        }
        guard let link = u32(20) else { return [] }
        var records: [PacketRecord] = []
        var offset = 24
        while let seconds = u32(offset), let fraction = u32(offset + 4), let captured = u32(offset + 8),
            let original = u32(offset + 12), let bytes = cursor.getSlice(at: offset + 16, length: captured)
        {
            records.append(
                PacketRecord(
                    timestamp: Timestamp(
                        seconds: Int64(seconds), nanoseconds: Int64(nano ? fraction : fraction * 1000)),
                    linkType: LinkType(rawValue: UInt32(link)), originalLength: original, data: bytes,
                    fileOffset: offset, frameNumber: records.count + 1))
            offset += 16 + captured
        }
        return records
    }

    /// Writes frames as a little-endian microsecond pcap, one second apart.
    static func write(_ frames: [[UInt8]], linkType: LinkType, to path: String) throws {
        var out: [UInt8] = []
        func le32(_ v: UInt32) {
            out += [UInt8(v & 0xff), UInt8(v >> 8 & 0xff), UInt8(v >> 16 & 0xff), UInt8(v >> 24)]
        }
        le32(0xa1b2_c3d4)
        out += [2, 0, 4, 0]  // version 2.4
        le32(0)
        le32(0)
        le32(262_144)  // snaplen
        le32(linkType.rawValue)
        for (index, frame) in frames.enumerated() {
            le32(UInt32(index + 1))
            le32(0)
            le32(UInt32(frame.count))
            le32(UInt32(frame.count))
            out += frame
        }
        try Data(out).write(to: URL(fileURLWithPath: path))
    }

    static func temporaryPath(_ name: String) -> String {
        NSTemporaryDirectory() + "seam-wire-\(getpid())-\(name).pcap"
    }
}

extension DecodeOutcome {
    var packet: DecodedPacket? {
        if case .packet(let packet) = self { return packet }
        return nil
    }

    var problem: DecodeProblem? {
        if case .malformed(let problem) = self { return problem }
        return nil
    }

    var isFragmentHeld: Bool {
        if case .fragmentHeld = self { return true }
        return false
    }
}

extension DecodedPacket {
    var tcp: TCPHeader? {
        if case .tcp(let header) = transport { return header }
        return nil
    }

    var udp: UDPHeader? {
        if case .udp(let header) = transport { return header }
        return nil
    }
}

/// Decodes one frame with a fresh decoder.
func decodeFrame(_ frame: [UInt8], link: LinkType, snaplen: Int = Int.max) -> DecodeOutcome {
    var decoder = PacketDecoder()
    return decoder.decode(
        PacketRecord(
            timestamp: Timestamp(nanoseconds: 0), linkType: link, originalLength: frame.count,
            data: frame.prefix(snaplen)))
}

/// Decodes one record with a fresh decoder.
func decodeFrame(_ record: PacketRecord) -> DecodeOutcome {
    var decoder = PacketDecoder()
    return decoder.decode(record)
}
