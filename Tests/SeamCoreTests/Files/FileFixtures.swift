import Foundation
import Testing

@testable import SeamCore

/// Bytes of hand-built capture files, in either byte order, for reader tests.
struct FixtureBytes {
    var bigEndian: Bool
    var bytes: [UInt8] = []

    init(bigEndian: Bool) { self.bigEndian = bigEndian }

    mutating func u16(_ v: UInt16) {
        let b = [UInt8(v >> 8), UInt8(v & 0xFF)]
        bytes += bigEndian ? b : b.reversed()
    }

    mutating func u32(_ v: UInt32) {
        let b = [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
        bytes += bigEndian ? b : b.reversed()
    }

    mutating func u64(_ v: UInt64) {
        if bigEndian {
            u32(UInt32(v >> 32))
            u32(UInt32(v & 0xFFFF_FFFF))
        } else {
            u32(UInt32(v & 0xFFFF_FFFF))
            u32(UInt32(v >> 32))
        }
    }

    mutating func pad() { while bytes.count % 4 != 0 { bytes.append(0) } }

    /// One pcapng option (code, length, value padded to 4).
    mutating func option(_ code: UInt16, _ value: [UInt8]) {
        u16(code)
        u16(UInt16(value.count))
        bytes += value
        pad()
    }

    mutating func endOfOptions() { u32(0) }
}

enum Fixture {
    /// A classic pcap file.
    static func pcap(
        bigEndian: Bool, nanosecond: Bool = false, linkTypeField: UInt32 = 1, snapLength: UInt32 = 65535,
        records: [(seconds: UInt32, fraction: UInt32, data: [UInt8], originalLength: UInt32?)]
    ) -> [UInt8] {
        var b = FixtureBytes(bigEndian: bigEndian)
        b.u32(nanosecond ? 0xA1B2_3C4D : 0xA1B2_C3D4)
        b.u16(2)
        b.u16(4)
        b.u32(0)
        b.u32(0)
        b.u32(snapLength)
        b.u32(linkTypeField)
        for r in records {
            b.u32(r.seconds)
            b.u32(r.fraction)
            b.u32(UInt32(r.data.count))
            b.u32(r.originalLength ?? UInt32(r.data.count))
            b.bytes += r.data
        }
        return b.bytes
    }

    /// A pcapng block: type, total length, body (padded), total length.
    static func block(_ type: UInt32, bigEndian: Bool, _ body: (inout FixtureBytes) -> Void) -> [UInt8] {
        var inner = FixtureBytes(bigEndian: bigEndian)
        body(&inner)
        inner.pad()
        var b = FixtureBytes(bigEndian: bigEndian)
        b.u32(type)
        b.u32(UInt32(inner.bytes.count + 12))
        b.bytes += inner.bytes
        b.u32(UInt32(inner.bytes.count + 12))
        return b.bytes
    }

    static func sectionHeader(bigEndian: Bool, comments: [String] = []) -> [UInt8] {
        block(0x0A0D_0D0A, bigEndian: bigEndian) { b in
            b.u32(0x1A2B_3C4D)
            b.u16(1)
            b.u16(0)
            b.u64(UInt64.max)
            for comment in comments { b.option(1, Array(comment.utf8)) }
            if !comments.isEmpty { b.endOfOptions() }
        }
    }

    static func interface(
        bigEndian: Bool, linkType: UInt16, snapLength: UInt32 = 0, name: String? = nil, tsresol: UInt8? = nil,
        tsoffset: Int64? = nil
    ) -> [UInt8] {
        block(1, bigEndian: bigEndian) { b in
            b.u16(linkType)
            b.u16(0)
            b.u32(snapLength)
            var any = false
            if let name {
                b.option(2, Array(name.utf8))
                any = true
            }
            if let tsresol {
                b.option(9, [tsresol])
                any = true
            }
            if let tsoffset {
                var v = FixtureBytes(bigEndian: bigEndian)
                v.u64(UInt64(bitPattern: tsoffset))
                b.option(14, v.bytes)
                any = true
            }
            if any { b.endOfOptions() }
        }
    }

    static func enhancedPacket(
        bigEndian: Bool, interface: UInt32, units: UInt64, data: [UInt8], originalLength: UInt32? = nil,
        comments: [String] = []
    ) -> [UInt8] {
        block(6, bigEndian: bigEndian) { b in
            b.u32(interface)
            b.u32(UInt32(units >> 32))
            b.u32(UInt32(units & 0xFFFF_FFFF))
            b.u32(UInt32(data.count))
            b.u32(originalLength ?? UInt32(data.count))
            b.bytes += data
            b.pad()
            for comment in comments { b.option(1, Array(comment.utf8)) }
            if !comments.isEmpty { b.endOfOptions() }
        }
    }

    static func simplePacket(bigEndian: Bool, data: [UInt8], originalLength: UInt32) -> [UInt8] {
        block(3, bigEndian: bigEndian) { b in
            b.u32(originalLength)
            b.bytes += data
        }
    }

    static func obsoletePacket(
        bigEndian: Bool, interface: UInt16, units: UInt64, data: [UInt8], comment: String? = nil
    ) -> [UInt8] {
        block(2, bigEndian: bigEndian) { b in
            b.u16(interface)
            b.u16(0)
            b.u32(UInt32(units >> 32))
            b.u32(UInt32(units & 0xFFFF_FFFF))
            b.u32(UInt32(data.count))
            b.u32(UInt32(data.count))
            b.bytes += data
            b.pad()
            if let comment {
                b.option(1, Array(comment.utf8))
                b.endOfOptions()
            }
        }
    }

    /// A block the reader must skip, with some body bytes.
    static func opaque(_ type: UInt32, bigEndian: Bool, bodyLength: Int = 12) -> [UInt8] {
        block(type, bigEndian: bigEndian) { b in b.bytes += [UInt8](repeating: 0xEE, count: bodyLength) }
    }
}

/// Temporary files and helpers shared by the file tests.
enum TestFiles {
    /// This process's temporary directory for test files (one per test run).
    static let directory: URL = {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("seam-files-tests-\(getpid())")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }()

    /// A fresh path in the test run's temporary directory; tests remove their large files.
    static func path(_ name: String) -> String {
        directory.appendingPathComponent("\(UUID().uuidString.prefix(8))-\(name)").path
    }

    static func write(_ bytes: [UInt8], name: String) throws -> String {
        let file = path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    /// Every record the reader returns, and the error that ended reading (nil at clean EOF).
    static func readAll(_ reader: CaptureFileReader) -> (records: [PacketRecord], error: CaptureFileError?) {
        var records: [PacketRecord] = []
        do {
            while let record = try reader.next() { records.append(record) }
            return (records, nil)
        } catch let error as CaptureFileError {
            return (records, error)
        } catch {
            Issue.record("unexpected error type: \(error)")
            return (records, nil)
        }
    }

    static func readAll(path: String) throws -> (records: [PacketRecord], error: CaptureFileError?) {
        readAll(try CaptureFileReader(path: path))
    }

    static func executable(_ name: String) -> String? {
        for directory in ["/usr/bin", "/usr/local/bin", "/bin"] {
            let candidate = directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static var tshark: String? { executable("tshark") }

    /// Runs a program and returns its exit status and standard output.
    static func run(_ program: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
