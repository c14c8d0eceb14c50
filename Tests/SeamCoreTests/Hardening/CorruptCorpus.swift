import SeamTestSupport
import Foundation

@testable import SeamCore

/// The captures the corrupt-corpus tests damage, and the facts about each that tell what a damaged copy must
/// still yield: where every block or record starts and ends, and what a clean read returns.
struct CorruptCorpus {
    /// One capture, read cleanly once.
    struct Source {
        /// A short name for messages.
        var name: String
        /// The file's bytes.
        var bytes: [UInt8]
        /// Every block (pcapng) or the header and every record (pcap): start offset and length, in file order.
        var blocks: [(offset: Int, length: Int)]
        /// Every packet a clean read returns, with the offset where its block ends.
        var packets: [(record: PacketRecord, end: Int)]

        /// Offsets where a file cut there ends cleanly (every block end).
        var boundaries: Set<Int> { Set(blocks.map { $0.offset + $0.length }) }

        /// Packets wholly before `offset`: a copy damaged at `offset` or later must still return them.
        func packetCount(endingBy offset: Int) -> Int {
            packets.prefix { $0.end <= offset }.count
        }

        /// Where the block holding byte `offset` starts (0 before the first block).
        func blockStart(containing offset: Int) -> Int {
            blocks.last { $0.offset <= offset }?.offset ?? 0
        }
    }

    /// The real captures of the shared corpus (`TestCorpus`), or `nil` with the reason they are unavailable.
    static func sharedCorpus() -> (paths: [String], skipReason: String?) {
        let directory = TestCorpus.directory
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            return ([], "\(directory) is absent: only generated captures are damaged")
        }
        let paths = names.filter { $0.hasSuffix(".pcap") || $0.hasSuffix(".pcapng") }.sorted()
            .map { directory + "/" + $0 }
        return (paths, paths.isEmpty ? "\(directory) holds no captures" : nil)
    }

    /// Captures written by Seam's own writers: a pcapng session with two interfaces (Ethernet and call
    /// records on link type 252, comments, statistics) and a nanosecond pcap of the same conversation.
    static func generated() throws -> [String] {
        let client = Endpoint(address: IPAddress("127.0.0.1")!, port: 51_000)
        let server = Endpoint(address: IPAddress("127.0.0.1")!, port: 9000)
        var conversation = TCPConversationBuilder(client: client, server: server)
        conversation.handshake()
        var generator = SplitMix64(state: 42)
        for index in 0..<12 {
            let size = Int.random(in: 0...3000, using: &generator)
            let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &+ index) }
            conversation.send(bytes, from: index.isMultiple(of: 3) ? .serverToClient : .clientToServer)
        }
        conversation.close()

        let pcapngPath = TestFiles.path("generated.pcapng")
        let session = try PcapngWriter(path: pcapngPath, sectionComment: "seam hardening corpus")
        let wire = try session.addInterface(linkType: .ethernet, name: "lo")
        let calls = try session.addInterface(linkType: .wiresharkUpperPDU, name: "seam-calls")
        var offset: UInt64 = 0
        for (index, record) in conversation.records.enumerated() {
            try session.writePacket(
                interface: wire, timestamp: record.timestamp, data: record.data,
                comment: index.isMultiple(of: 5) ? "frame \(index)" : nil)
            let call = SessionCall(
                kind: .recv, connection: 1, leg: .downstream, direction: .clientToServer, offset: offset,
                length: 10, bufferSize: 1024, source: client, destination: server, timestamp: record.timestamp,
                payload: Array(repeating: UInt8(index & 0xFF), count: 10))
            offset += 10
            try session.writePacket(
                interface: calls, timestamp: record.timestamp, data: call.exportedPDU(), comment: call.commentWords)
        }
        try session.writeInterfaceStatistics(interface: wire, timestamp: conversation.time, received: 40, dropped: 0)
        try session.close()

        let pcapPath = TestFiles.path("generated.pcap")
        let plain = try PcapWriter(path: pcapPath, linkType: .ethernet)
        for record in conversation.records {
            try plain.writePacket(timestamp: record.timestamp, data: record.data)
        }
        try plain.close()
        return [pcapngPath, pcapPath]
    }

    /// Reads `path` cleanly and maps its blocks.
    static func load(_ path: String) throws -> Source {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let blocks = blockMap(bytes)
        let (records, error) = try TestFiles.readAll(path: path)
        if let error { throw error }
        let ends = Dictionary(blocks.map { ($0.offset, $0.offset + $0.length) }, uniquingKeysWith: { a, _ in a })
        let packets = records.map { record in
            (record: record, end: ends[record.fileOffset] ?? bytes.count)
        }
        let name = (path as NSString).lastPathComponent
        return Source(name: name, bytes: bytes, blocks: blocks, packets: packets)
    }

    /// The block layout of an intact pcap or pcapng file, found by walking its length fields.
    static func blockMap(_ bytes: [UInt8]) -> [(offset: Int, length: Int)] {
        func u32(_ at: Int, bigEndian: Bool) -> Int {
            let a = Int(bytes[at]), b = Int(bytes[at + 1]), c = Int(bytes[at + 2]), d = Int(bytes[at + 3])
            return bigEndian ? a << 24 | b << 16 | c << 8 | d : d << 24 | c << 16 | b << 8 | a
        }
        guard bytes.count >= 24 else { return [] }
        var blocks: [(offset: Int, length: Int)] = []
        if u32(0, bigEndian: true) == 0x0A0D_0D0A {
            var offset = 0
            var bigEndian = false
            while offset + 12 <= bytes.count {
                if u32(offset, bigEndian: true) == 0x0A0D_0D0A {
                    bigEndian = u32(offset + 8, bigEndian: true) == 0x1A2B_3C4D
                }
                let length = u32(offset + 4, bigEndian: bigEndian)
                guard length >= 12, offset + length <= bytes.count else { break }
                blocks.append((offset, length))
                offset += length
            }
        } else {
            let magic = u32(0, bigEndian: true)
            let bigEndian = magic == 0xA1B2_C3D4 || magic == 0xA1B2_3C4D
            blocks.append((0, 24))
            var offset = 24
            while offset + 16 <= bytes.count {
                let length = 16 + u32(offset + 8, bigEndian: bigEndian)
                guard offset + length <= bytes.count else { break }
                blocks.append((offset, length))
                offset += length
            }
        }
        return blocks
    }
}
