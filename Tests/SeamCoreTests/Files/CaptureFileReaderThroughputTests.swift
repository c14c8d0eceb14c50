import Foundation
import Testing

@testable import SeamCore

/// Throughput of the reader's tight loop over a large capture. Runs only when `SEAM_BENCH_CAPTURE` names a
/// file (big files are not committed); build in release for meaningful numbers:
/// `SEAM_BENCH_CAPTURE=/tmp/big.pcapng swift test -c release -Xswiftc -enable-testing --filter Throughput`.
@Suite("CaptureFileReader: throughput")
struct CaptureFileReaderThroughputTests {
    static let file = ProcessInfo.processInfo.environment["SEAM_BENCH_CAPTURE"]

    @Test("tight loop over SEAM_BENCH_CAPTURE", .enabled(if: file != nil))
    func tightLoop() throws {
        let path = try #require(Self.file)
        let clock = ContinuousClock()
        var packets = 0
        var bytes = 0
        var checksum: UInt64 = 0
        let elapsed = try clock.measure {
            let reader = try CaptureFileReader(path: path)
            while let record = try reader.next() {
                packets += 1
                bytes += record.data.count
                checksum &+= UInt64(record.data.first ?? 0)
            }
            #expect(reader.bytesRead == reader.fileSize)
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let size = Double((try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
        print(
            "throughput: \(packets) packets, \(bytes) data bytes in \(seconds) s: "
                + "\(Int(Double(packets) / seconds)) packets/s, \(Int(size / seconds / 1e6)) MB/s "
                + "(checksum \(checksum))")
        #expect(packets > 0)
    }
}
