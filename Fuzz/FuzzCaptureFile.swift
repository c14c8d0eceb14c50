#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The capture-file targets: the input becomes a file in memory (a memfd), read by `CaptureFileReader` and
/// scanned through decoder, flow table, reassembly and framing; call records are decoded as session calls.
enum FuzzCaptureFile {
    static func run(_ input: [UInt8], magics: [UInt32]) {
        guard input.count >= 4 else { return }
        var bytes = input
        let magic = magics[Int(bytes[0]) % magics.count]
        bytes[0] = UInt8(truncatingIfNeeded: magic >> 24)
        bytes[1] = UInt8(truncatingIfNeeded: magic >> 16)
        bytes[2] = UInt8(truncatingIfNeeded: magic >> 8)
        bytes[3] = UInt8(truncatingIfNeeded: magic)

        let descriptor = fuzzMemfdCreate("seam-fuzz", 0)
        precondition(descriptor >= 0, "memfd_create failed")
        defer { close(descriptor) }
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        precondition(written == bytes.count, "short write to memfd")
        lseek(descriptor, 0, SEEK_SET)

        guard let reader = try? CaptureFileReader(fileDescriptor: descriptor, name: "fuzz") else { return }
        let table = FlowTable(consumers: [FuzzStreamConsumer(spec: .line)])
        let scanner = CaptureScanner(reader: reader, table: table)
        scanner.onUpperPDU = { record in _ = try? SessionCall.decode(record: record) }
        scanner.run()
        if let failure = scanner.failure {
            precondition(failure.offset.map { $0 >= 0 && $0 <= bytes.count } ?? true, "offset outside the file")
        }
    }
}

/// glibc's memfd_create(2), which the Glibc module does not export.
@_silgen_name("memfd_create")
func fuzzMemfdCreate(_ name: UnsafePointer<CChar>, _ flags: UInt32) -> Int32
