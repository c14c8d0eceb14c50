import Foundation
import Testing

@testable import SeamCore

@Suite("PcapngWriter")
struct PcapngWriterTests {
    static let start = Timestamp(seconds: 1_764_000_000, nanoseconds: 123_456_789)

    /// A session-like file: SHB comment, an Ethernet and a 252 interface, EPBs with comments, an ISB.
    static func writeSample(to path: String) throws -> [(
        interface: Int, time: Timestamp, data: [UInt8], comment: String?
    )] {
        let writer = try PcapngWriter(path: path, sectionComment: "seam-session version=1 listen=127.0.0.1:9000")
        let ethernet = try writer.addInterface(linkType: .ethernet, snapLength: 65535, name: "lo", description: "loop")
        let calls = try writer.addInterface(linkType: .wiresharkUpperPDU, name: "seam-proxy")
        var packets: [(interface: Int, time: Timestamp, data: [UInt8], comment: String?)] = []
        for index in 0..<50 {
            let interface = index % 3 == 0 ? calls : ethernet
            let data = (0..<(index * 7 + 1)).map { UInt8(truncatingIfNeeded: $0 + index) }
            let time = Timestamp(nanoseconds: start.nanoseconds + Int64(index) * 1_000_001)
            let comment: String? = index % 5 == 0 ? "packet \(index) ✓" : nil
            try writer.writePacket(interface: interface, timestamp: time, data: data, comment: comment)
            packets.append((interface, time, data, comment))
        }
        try writer.writeInterfaceStatistics(
            interface: ethernet, timestamp: Timestamp(nanoseconds: start.nanoseconds + 99), received: 50, dropped: 0,
            comment: "stats")
        try writer.close()
        return packets
    }

    @Test("round trip: every packet back with its interface, link type, exact ns timestamp and comment")
    func roundTrip() throws {
        let path = TestFiles.path("session.pcapng")
        let written = try Self.writeSample(to: path)
        let reader = try CaptureFileReader(path: path)
        // The section comment and the interfaces are known before the first packet is read.
        #expect(reader.sectionComments == ["seam-session version=1 listen=127.0.0.1:9000"])
        #expect(reader.interfaces.count == 2)
        let (records, error) = TestFiles.readAll(reader)
        #expect(error == nil)
        try #require(records.count == written.count)
        for (record, packet) in zip(records, written) {
            #expect(record.interfaceIndex == packet.interface)
            #expect(record.linkType == (packet.interface == 0 ? .ethernet : .wiresharkUpperPDU))
            #expect(record.timestamp == packet.time)
            #expect(Array(record.data) == packet.data)
            #expect(record.originalLength == packet.data.count)
            #expect(record.comments == (packet.comment.map { [$0] } ?? []))
        }
        #expect(reader.sectionComments == ["seam-session version=1 listen=127.0.0.1:9000"])
        #expect(reader.interfaces.map(\.linkType) == [.ethernet, .wiresharkUpperPDU])
        #expect(reader.interfaces[0].name == "lo")
        #expect(reader.interfaces[0].description == "loop")
        #expect(reader.interfaces[1].snapLength == 262_144)
        #expect(reader.interfaces.allSatisfy { $0.timestampResolution == .nanoseconds })
    }

    @Test("the file is created with mode 0600 and blocks are written only whole")
    func modeAndBuffering() throws {
        let path = TestFiles.path("mode.pcapng")
        let writer = try PcapngWriter(path: path, sectionComment: nil)
        try writer.addInterface(linkType: .raw)
        var status = stat()
        #expect(stat(path, &status) == 0)
        #expect(status.st_mode & 0o777 == 0o600)
        #expect(status.st_size == 0)  // nothing written before the buffer fills or a flush
        for index in 0..<200 {
            try writer.writePacket(
                interface: 0, timestamp: Timestamp(nanoseconds: Int64(index)), data: [UInt8](repeating: 1, count: 1000))
            // Whatever is on disk now is a readable file ending at a block boundary.
            #expect(stat(path, &status) == 0)
            if status.st_size > 0 {
                let (records, error) = try TestFiles.readAll(path: path)
                #expect(error == nil)
                #expect(records.count <= index + 1)
            }
        }
        try writer.flush()
        #expect(try TestFiles.readAll(path: path).records.count == 200)
        try writer.close()
        #expect(throws: CaptureFileError.self) {
            try writer.writePacket(interface: 0, timestamp: Timestamp(nanoseconds: 0), data: [1])
        }
    }

    @Test("snaplen cuts the data but keeps the original length; unknown interface is an error")
    func snapLengthAndErrors() throws {
        let path = TestFiles.path("snap.pcapng")
        let writer = try PcapngWriter(path: path, sectionComment: nil)
        try writer.addInterface(linkType: .ethernet, snapLength: 4)
        try writer.writePacket(interface: 0, timestamp: Timestamp(nanoseconds: 5), data: [1, 2, 3, 4, 5, 6][2...])
        try writer.writePacket(interface: 0, timestamp: Timestamp(nanoseconds: 6), data: [9], originalLength: 60)
        #expect(throws: CaptureFileError.self) {
            try writer.writePacket(interface: 1, timestamp: Timestamp(nanoseconds: 0), data: [1])
        }
        try writer.close()
        let records = try TestFiles.readAll(path: path).records
        #expect(records.map { Array($0.data) } == [[3, 4, 5, 6], [9]])
        #expect(records.map(\.originalLength) == [4, 60])
        #expect(throws: CaptureFileError.self) { try PcapngWriter(path: "/nonexistent/x.pcapng", sectionComment: nil) }
    }

    @Test(
        "tshark reads the file: frame numbers, times, lengths and comments agree", .enabled(if: TestFiles.tshark != nil)
    )
    func tsharkAgrees() throws {
        let tshark = try #require(TestFiles.tshark)
        let path = TestFiles.path("tshark.pcapng")
        let written = try Self.writeSample(to: path)
        let result = try TestFiles.run(
            tshark,
            [
                "-r", path, "-T", "fields", "-E", "separator=|", "-e", "frame.number", "-e", "frame.time_epoch",
                "-e", "frame.len", "-e", "frame.comment",
            ])
        #expect(result.status == 0)
        let lines = result.output.split(separator: "\n")
        try #require(lines.count == written.count)
        for (index, (line, packet)) in zip(lines, written).enumerated() {
            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            try #require(fields.count == 4)
            #expect(fields[0] == String(index + 1))
            let seconds = packet.time.seconds
            var fraction = String(packet.time.subsecondNanoseconds)
            fraction = String(repeating: "0", count: 9 - fraction.count) + fraction
            #expect(fields[1] == "\(seconds).\(fraction)")
            #expect(fields[2] == String(packet.data.count))
            #expect(fields[3] == (packet.comment ?? ""))
        }
        let capinfos = TestFiles.executable("capinfos")
        if let capinfos {
            let info = try TestFiles.run(capinfos, ["-M", path])
            #expect(info.output.contains("seam-session version=1 listen=127.0.0.1:9000"))
        }
    }
}
