import Foundation
import Testing

@testable import SeamCore

@Suite("CaptureFileReader: pipes and standard input")
struct CaptureFileReaderPipeTests {
    @Test("reads a pcapng from a pipe in small writes; no file size")
    func readsFromPipe() throws {
        let path = TestFiles.path("pipe.pcapng")
        let writer = try PcapngWriter(path: path, sectionComment: "from a pipe")
        try writer.addInterface(linkType: .ethernet)
        for index in 0..<2000 {
            try writer.writePacket(
                interface: 0, timestamp: Timestamp(nanoseconds: Int64(index)),
                data: [UInt8](repeating: UInt8(truncatingIfNeeded: index), count: 700))
        }
        try writer.close()
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        unlink(path)

        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let writeEnd = fds[1]
        // The writer thread feeds the pipe in odd-sized pieces, so reads return partial blocks.
        let feeder = Thread {
            var offset = 0
            while offset < bytes.count {
                let piece = min(4093, bytes.count - offset)
                let written = bytes[offset..<(offset + piece)].withUnsafeBytes {
                    write(writeEnd, $0.baseAddress, piece)
                }
                if written <= 0 { break }
                offset += written
            }
            close(writeEnd)
        }
        feeder.start()
        let reader = try CaptureFileReader(fileDescriptor: fds[0], name: "-", closeOnDeinit: true)
        #expect(reader.fileSize == nil)
        let (records, error) = TestFiles.readAll(reader)
        #expect(error == nil)
        #expect(records.count == 2000)
        #expect(records.last.map { Array($0.data) } == [UInt8](repeating: UInt8(truncatingIfNeeded: 1999), count: 700))
        #expect(reader.sectionComments == ["from a pipe"])
        #expect(reader.bytesRead == bytes.count)
    }

    @Test("path \"-\" reads standard input, like tcpdump -r -")
    func readsStandardInput() throws {
        // Standard input of this process is pointed at a capture file for the duration of the test.
        let path = TestFiles.path("stdin.pcap")
        let writer = try PcapWriter(path: path, linkType: .raw)
        try writer.writePacket(timestamp: Timestamp(nanoseconds: 1), data: [0x45])
        try writer.close()
        let saved = dup(0)
        defer {
            dup2(saved, 0)
            close(saved)
        }
        let file = open(path, O_RDONLY)
        #expect(file >= 0)
        dup2(file, 0)
        close(file)
        let reader = try CaptureFileReader(path: "-")
        #expect(reader.path == "-")
        let records = TestFiles.readAll(reader).records
        #expect(records.map { Array($0.data) } == [[0x45]])
    }
}

@Suite("CaptureFileReader: descriptors")
struct CaptureFileReaderDescriptorTests {
    /// Paths of this process's open descriptors (other tests run in parallel, so only paths are compared).
    static func openPaths() -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return entries.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + $0) }
    }

    @Test(
        "failed opens and dropped readers close their descriptor",
        .enabled(if: FileManager.default.fileExists(atPath: "/proc/self/fd")))
    func noLeaks() throws {
        let badMagic = try TestFiles.write([1, 2, 3, 4, 5, 6, 7, 8], name: "bad.bin")
        let empty = try TestFiles.write([], name: "empty.pcapng")
        let badSecondBlock = try TestFiles.write(
            Fixture.sectionHeader(bigEndian: false) + [1, 0, 0, 0, 7, 0, 0, 0], name: "bad.pcapng")
        let good = try TestFiles.write(Fixture.pcap(bigEndian: false, records: [(1, 2, [3], nil)]), name: "ok.pcap")
        for path in [badMagic, empty, badSecondBlock] {
            #expect(throws: CaptureFileError.self) { try CaptureFileReader(path: path) }
        }
        do {
            let reader = try CaptureFileReader(path: good)
            #expect(TestFiles.readAll(reader).records.count == 1)
            #expect(Self.openPaths().contains(good))  // the check below can see an open file
        }
        let stillOpen = Self.openPaths().filter { [badMagic, empty, badSecondBlock, good].contains($0) }
        #expect(stillOpen.isEmpty)
    }
}
