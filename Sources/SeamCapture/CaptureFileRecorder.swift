import SeamCore

/// Writes what a `LiveCapture` delivers into a pcapng file (one interface, an ISB with the drop counts at the
/// end) or a classic pcap file, created with mode 0600. This is `seam capture -w`.
///
/// The writer is used on the capture's delivery thread between `start()` and `finish()` and on the caller's
/// thread before and after; `finish()` joins the delivery thread first, so the two never overlap.
public final class CaptureFileRecorder: @unchecked Sendable {
    /// The file format to write.
    public enum Format: String, Sendable, CaseIterable {
        /// pcapng: interface name, nanosecond stamps, the statistics block (ISB) at the end.
        case pcapng
        /// Classic pcap with nanosecond stamps (magic `a1b23c4d`); no room for statistics.
        case pcap
    }

    /// What a finished recording did.
    public struct Summary: Sendable, Equatable {
        /// Packets written to the file.
        public var packetsWritten: Int
        /// libpcap's counters at the end of the capture.
        public var statistics: CaptureStatistics
        /// Whether `packetLimit` ended the capture.
        public var limitReached: Bool
    }

    private enum Writer {
        case pcapng(PcapngWriter, interface: Int)
        case pcap(PcapWriter)
    }

    /// The capture whose packets are written.
    public let capture: LiveCapture
    /// The file written.
    public let path: String
    /// pcapng or pcap.
    public let format: Format
    /// Stop after this many packets; `nil` for no limit.
    public let packetLimit: Int?

    private let writer: Writer
    private let lock = Monitor()
    private var written = 0
    private var writeFailure: Error?

    /// Creates `path` (mode 0600) and writes the file header and, for pcapng, the interface of `capture`.
    /// `sectionComment` goes into the pcapng section header.
    public init(
        capture: LiveCapture,
        path: String,
        format: Format,
        packetLimit: Int? = nil,
        sectionComment: String? = nil
    ) throws {
        self.capture = capture
        self.path = path
        self.format = format
        self.packetLimit = packetLimit
        switch format {
        case .pcapng:
            let file = try PcapngWriter(path: path, sectionComment: sectionComment)
            let interface = try file.addInterface(
                linkType: capture.linkType,
                snapLength: capture.snapLength,
                name: capture.interface,
                description: capture.filter.map { "filter: \($0)" }
            )
            writer = .pcapng(file, interface: interface)
        case .pcap:
            writer = .pcap(
                try PcapWriter(
                    path: path,
                    linkType: capture.linkType,
                    snapLength: capture.snapLength,
                    nanosecondResolution: capture.hasNanosecondTimestamps
                )
            )
        }
    }

    /// Starts the capture; every packet is written as it arrives, until `packetLimit` or `finish()`.
    public func start() throws {
        try capture.start { [self] packet in
            self.write(packet)
        }
    }

    /// Packets written so far.
    public var packetsWritten: Int { lock.withLock { written } }

    /// Stops the capture (draining it), writes the statistics (pcapng) and closes the file.
    /// Throws the first write error, or the capture's failure, after closing the file.
    @discardableResult
    public func finish() throws -> Summary {
        let statistics = capture.stop()
        let count = packetsWritten
        let summary = Summary(
            packetsWritten: count,
            statistics: statistics,
            limitReached: packetLimit.map { count >= $0 } ?? false
        )
        var failure = lock.withLock { writeFailure }
        do {
            switch writer {
            case .pcapng(let file, let interface):
                let words = [
                    CommentWord("received", String(statistics.received)),
                    CommentWord("dropped-by-kernel", String(statistics.dropped)),
                    CommentWord("dropped-by-interface", String(statistics.interfaceDropped)),
                    CommentWord("written", String(count)),
                ]
                try file.writeInterfaceStatistics(
                    interface: interface,
                    timestamp: .now(),
                    received: statistics.received,
                    dropped: statistics.totalDropped,
                    comment: (["seam-capture-statistics"] + words.map(\.description)).joined(separator: " ")
                )
                try file.close()
            case .pcap(let file):
                try file.close()
            }
        } catch {
            failure = failure ?? error
        }
        if let failure { throw failure }
        if let loopFailure = capture.failure { throw loopFailure }
        return summary
    }

    /// Runs on the delivery thread.
    private func write(_ packet: CapturedPacket) {
        let proceed = lock.withLock { writeFailure == nil && (packetLimit.map { written < $0 } ?? true) }
        guard proceed else { return }
        do {
            switch writer {
            case .pcapng(let file, let interface):
                try file.writePacket(
                    interface: interface,
                    timestamp: packet.timestamp,
                    data: packet.data,
                    originalLength: packet.originalLength
                )
            case .pcap(let file):
                try file.writePacket(
                    timestamp: packet.timestamp,
                    data: packet.data,
                    originalLength: packet.originalLength
                )
            }
        } catch {
            lock.withLock { writeFailure = error }
            capture.requestStop()
            return
        }
        let reachedLimit = lock.withLock {
            written += 1
            return packetLimit.map { written >= $0 } ?? false
        }
        if reachedLimit { capture.requestStop() }
    }
}
