import Foundation
import Testing

@testable import SeamCore

/// The public corpus of real captures (`TestCorpus`: ../shared/corpus/files): every file reads, with capinfos' packet
/// count, and for a spread of formats every packet's time and lengths agree with tshark.
@Suite("CaptureFileReader: public corpus")
struct CaptureFileCorpusTests {
    static let directory = TestCorpus.directory
    static var available: Bool { FileManager.default.fileExists(atPath: directory) }

    /// Packets per file, from `capinfos -c -M` (TShark 4.0.17).
    static let packetCounts: [String: Int] = [
        "dpkt--http.pcap": 43, "dpkt--truncated_dns_2.pcap": 1, "gopacket--test202.pcapng": 8,
        "gopacket--test_dns.pcap": 10, "gopacket--test_loopback.pcap": 24, "packets--http_espn.pcapng": 956,
        "packets--synscan.pcapng": 2011, "packets--tcp_retransmissions.pcapng": 6, "pcpp--DnsPackets.pcap": 464,
        "pcpp--four_ipv6_http_streams.pcap": 81, "pcpp--many-protocols.pcap": 4709,
        "pcpp--many_interfaces-1.pcapng": 64, "pcpp--one_http_stream_rst.pcap": 10,
        "pcpp--pcapng-example.pcapng": 159, "pcpp--raw_ip.pcap": 100, "pcpp--sll2.pcap": 3,
        "pcpp--unidirectional_tcp_stream_with_missing_packet.pcap": 14, "scapy--http_chunk.pcap": 66,
        "tcpdump--dns_tcp.pcap": 11, "tcpdump--pptp.pcap": 23, "tcpdump--tcp-handshake-nano.pcap": 3,
        "zeek--206_example_b.pcap": 1556, "zeek--content-range-gap.pcap": 26, "zeek--ctu-64702-888.pcap": 16,
        "zeek--ipv6-http-atomic-frag.pcap": 38, "zeek--reassembly.pcap": 117, "zeek--smtp.pcap": 125,
        "zeek--ssh-dups.pcap": 377, "zeek--timestamp.pcap": 878, "zeek--tls1.2.pcap": 22,
        "zeek--truncated-header.pcap": 24, "zeek-ftp--ipv6.pcap": 136,
    ]

    @Test("every corpus file reads with capinfos' packet count", .enabled(if: available))
    func everyFileReads() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.directory).sorted()
        #expect(!files.isEmpty)
        for file in files {
            let (records, error) = try TestFiles.readAll(path: Self.directory + "/" + file)
            if let expected = Self.packetCounts[file] {
                #expect(records.count == expected, "\(file)")
            } else {
                print("corpus file \(file) has no recorded count; read \(records.count) packets")
            }
            if file == "dpkt--truncated_dns_2.pcap" {
                #expect(error?.offset == 240, "\(file)")
                #expect(error?.message == "record header at byte 240 is cut short: needs 16 bytes, file ends after 7")
            } else {
                #expect(error == nil, "\(file): \(String(describing: error))")
            }
        }
    }

    @Test("big-endian multi-section gopacket test202: sections, interfaces and link types", .enabled(if: available))
    func test202() throws {
        let reader = try CaptureFileReader(path: Self.directory + "/gopacket--test202.pcapng")
        let (records, error) = TestFiles.readAll(reader)
        #expect(error == nil)
        #expect(records.count == 8)
        #expect(reader.sectionComments.count == 3)
        #expect(reader.interfaces.count == 5)
        #expect(Set(records.map(\.linkType)) == [.ethernet, .null])
    }

    @Test(
        "times and lengths agree with tshark",
        .enabled(if: available && TestFiles.tshark != nil),
        arguments: [
            "gopacket--test202.pcapng", "pcpp--pcapng-example.pcapng", "pcpp--many_interfaces-1.pcapng",
            "tcpdump--tcp-handshake-nano.pcap", "tcpdump--pptp.pcap", "zeek--timestamp.pcap",
            "packets--http_espn.pcapng",
        ])
    func agreesWithTshark(file: String) throws {
        let tshark = try #require(TestFiles.tshark)
        let path = Self.directory + "/" + file
        let result = try TestFiles.run(
            tshark,
            [
                "-r", path, "-T", "fields", "-E", "separator=|", "-e", "frame.time_epoch", "-e", "frame.len",
                "-e", "frame.cap_len", "-e", "frame.interface_id",
            ])
        var rows = result.output.split(separator: "\n").map {
            $0.split(separator: "|", omittingEmptySubsequences: false)
        }
        if file.hasSuffix(".pcapng") {
            rows.removeAll { $0.count < 4 || $0[3].isEmpty }  // tshark 4.0 lists custom blocks as records
        }
        let (records, error) = try TestFiles.readAll(path: path)
        #expect(error == nil)
        try #require(records.count == rows.count)
        for (record, row) in zip(records, rows) {
            #expect(Self.nanoseconds(row[0]) == record.timestamp.nanoseconds, "\(file) frame \(record.frameNumber)")
            #expect(String(row[1]) == String(record.originalLength))
            #expect(String(row[2]) == String(record.data.count))
            if file.hasSuffix(".pcapng") { #expect(String(row[3]) == String(record.interfaceIndex)) }
        }
    }

    /// `1234.000056` → nanoseconds; an empty field (no timestamp, e.g. an SPB) → 0. Computed modulo 2^64,
    /// like the reader: tshark prints pcpp--pcapng-example's one absurd timestamp (units near 2^64) unsigned,
    /// where Seam's signed nanoseconds wrap to a time before 1970.
    static func nanoseconds(_ text: Substring) -> Int64? {
        if text.isEmpty { return 0 }
        let parts = text.split(separator: ".")
        guard let seconds = UInt64(parts[0]) else { return nil }
        var fraction = parts.count > 1 ? String(parts[1]) : ""
        fraction += String(repeating: "0", count: max(0, 9 - fraction.count))
        guard let nanos = UInt64(fraction.prefix(9)) else { return nil }
        return Int64(bitPattern: seconds &* 1_000_000_000 &+ nanos)
    }
}
