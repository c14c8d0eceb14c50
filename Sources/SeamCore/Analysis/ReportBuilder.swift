/// Builds the report of a capture or session file: reads it once (streaming), puts sends, segments, recvs and
/// messages of every flow and direction on one byte axis, notes how the bytes were delivered, and judges the
/// programs.
///
/// Flows are analysed as they close: once a flow has closed and gone quiet (see `LayerCollector`), its
/// layers and its leg's calls become its report and are let go, so memory follows the open flows, not the
/// file. A session file is in timestamp order (`SessionWriter` writes it so), so a leg's calls have arrived
/// by the time its flow has been quiet for a quarter second. Legs without captured segments are reported
/// once every side of them has closed. The work is `SessionAnalyzer`'s; this reads the file into it.
public enum ReportBuilder {
    /// Reads `source`. Throws `CaptureFileError` when it cannot be opened or is not a capture; a fault later
    /// in the file ends reading there and is stated in the report's `failure`.
    public static func build(
        source: CaptureSource, options: ReportOptions = ReportOptions(), onProgress: ((Int, Int?) -> Void)? = nil
    ) throws -> BoundaryReport {
        let reader = try CaptureFileReader(source: source)
        let analyzer = SessionAnalyzer(options: options, settings: SessionReader.settings(of: reader))
        var failure: CaptureFileError?
        var nextProgress = 4 << 20
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
            analyzer.add(record)
            if let onProgress, reader.bytesRead >= nextProgress {
                onProgress(reader.bytesRead, reader.fileSize)
                nextProgress = reader.bytesRead + (4 << 20)
            }
        }
        return analyzer.finish(
            source: source.name, failure: failure?.description,
            drops: reader.interfaceDrops.isEmpty ? nil : reader.interfaceDrops.values.reduce(0, +))
    }

    /// Reads `path` (`-`: standard input).
    public static func build(
        path: String, options: ReportOptions = ReportOptions(), onProgress: ((Int, Int?) -> Void)? = nil
    ) throws -> BoundaryReport {
        try build(source: .path(path), options: options, onProgress: onProgress)
    }
}
