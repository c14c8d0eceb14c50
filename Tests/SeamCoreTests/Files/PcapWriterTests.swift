import Foundation
import Testing

@testable import SeamCore

@Suite("PcapWriter")
struct PcapWriterTests {
    @Test("round trip with nanosecond and microsecond timestamps", arguments: [true, false])
    func roundTrip(nanosecond: Bool) throws {
        let path = TestFiles.path("round.pcap")
        let writer = try PcapWriter(path: path, linkType: .linuxSLL2, snapLength: 100, nanosecondResolution: nanosecond)
        let times = [
            Timestamp(seconds: 1_764_000_000, nanoseconds: 987_654_321), Timestamp(seconds: 0, nanoseconds: 1_000),
            Timestamp(seconds: 4_000_000_000, nanoseconds: 999_999_999),
        ]
        let payloads: [[UInt8]] = [[1, 2, 3], [], Array(repeating: 0xAB, count: 150)]
        for (time, data) in zip(times, payloads) {
            try writer.writePacket(timestamp: time, data: data)
        }
        try writer.close()
        var status = stat()
        #expect(stat(path, &status) == 0)
        #expect(status.st_mode & 0o777 == 0o600)

        let reader = try CaptureFileReader(path: path)
        #expect(reader.format == .pcap)
        #expect(reader.interfaces[0].linkType == .linuxSLL2)
        #expect(reader.interfaces[0].timestampResolution == (nanosecond ? .nanoseconds : .microseconds))
        let (records, error) = TestFiles.readAll(reader)
        #expect(error == nil)
        try #require(records.count == 3)
        for (record, time) in zip(records, times) {
            let expected = nanosecond ? time.nanoseconds : time.nanoseconds / 1_000 * 1_000
            #expect(record.timestamp.nanoseconds == expected)
        }
        #expect(Array(records[0].data) == [1, 2, 3])
        #expect(records[1].data.isEmpty)
        #expect(records[2].data.count == 100)
        #expect(records[2].originalLength == 150)
    }

    @Test("tshark reads the nanosecond pcap", .enabled(if: TestFiles.tshark != nil))
    func tsharkAgrees() throws {
        let tshark = try #require(TestFiles.tshark)
        let path = TestFiles.path("tshark.pcap")
        let writer = try PcapWriter(path: path, linkType: .raw)
        // A minimal IPv4/UDP packet so tshark has something real to dissect.
        let packet: [UInt8] = [
            0x45, 0, 0, 29, 0, 1, 0, 0, 64, 17, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1,
            0x30, 0x39, 0x23, 0x28, 0, 9, 0, 0, 0x41,
        ]
        try writer.writePacket(timestamp: Timestamp(seconds: 1_764_000_000, nanoseconds: 5), data: packet)
        try writer.close()
        let result = try TestFiles.run(
            tshark, ["-r", path, "-T", "fields", "-E", "separator=|", "-e", "frame.time_epoch", "-e", "udp.dstport"])
        #expect(result.status == 0)
        #expect(result.output == "1764000000.000000005|9000\n")
    }
}
