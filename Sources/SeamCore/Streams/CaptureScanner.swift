/// Reads a capture file to its end and feeds every packet through the decoder into a flow table.
///
/// The one pipeline every command shares: reader → `PacketDecoder` → `FlowTable` → consumers. Records of
/// Seam's call interface (link type 252, `LINKTYPE_WIRESHARK_UPPER_PDU`) are not network packets; they go to
/// `onUpperPDU` instead. A damaged file stops the scan at the fault: everything before it has been analysed
/// and `failure` says what was wrong and where.
/// Hot stored properties are `@exclusivity(unchecked)`: a scanner runs on one thread and no callback runs
/// inside a mutation of them, so the runtime exclusivity checks only cost time (with the other classes'
/// checks, a fifth of a scan's instructions).
public final class CaptureScanner {
    public let reader: CaptureFileReader
    public let table: FlowTable
    public private(set) var decoder = PacketDecoder()
    /// Called for each record on a link-type-252 interface (session calls, exported PDUs).
    public var onUpperPDU: ((PacketRecord) -> Void)?
    /// Called about every 4 MiB read, with bytes read so far and the file size when known.
    public var onProgress: ((Int, Int?) -> Void)?
    @exclusivity(unchecked) public private(set) var packetCount = 0
    /// The capture's first and last packet times.
    @exclusivity(unchecked) public private(set) var firstTime: Timestamp?
    @exclusivity(unchecked) public private(set) var lastTime: Timestamp?
    /// The fault that ended the scan early, if any.
    public private(set) var failure: CaptureFileError?

    public init(reader: CaptureFileReader, table: FlowTable) {
        self.reader = reader
        self.table = table
    }

    /// Opens `path` (`-` for standard input) and scans it into `table`.
    public convenience init(path: String, table: FlowTable) throws {
        self.init(reader: try CaptureFileReader(path: path), table: table)
    }

    /// Reads until the end of the file or the first fault, then ends every flow.
    public func run() {
        var nextProgress = 4 << 20
        // The decoder is used as a local while the loop runs (no exclusivity check per packet on the class's
        // property) and stored back at the end.
        var decoder = self.decoder
        defer { self.decoder = decoder }
        while true {
            let record: PacketRecord?
            do {
                record = try reader.next()
            } catch let error as CaptureFileError {
                failure = error
                break
            } catch {
                failure = CaptureFileError(
                    file: reader.path, offset: reader.bytesRead, expected: "a readable file", found: "\(error)",
                    message: "\(error)")
                break
            }
            guard let record else { break }
            packetCount += 1
            if firstTime == nil || record.timestamp < firstTime! { firstTime = record.timestamp }
            if lastTime == nil || record.timestamp > lastTime! { lastTime = record.timestamp }
            if record.linkType == .wiresharkUpperPDU {
                onUpperPDU?(record)
            } else {
                table.process(decoder.decode(record), record: record)
            }
            if let onProgress, reader.bytesRead >= nextProgress {
                onProgress(reader.bytesRead, reader.fileSize)
                nextProgress = reader.bytesRead + (4 << 20)
            }
        }
        table.finish()
    }
}
