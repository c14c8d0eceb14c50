/// Reads a session file back: its settings, its calls (the records of the calls interface, link type 252)
/// and its captured packets, in file order. The one reader of the session format; `SessionWriter` writes it.
///
/// Any pcap or pcapng opens: a file without Seam's settings has no `settings`, and its link-type-252 records
/// are read as calls only when they carry Seam's `call=` words (else they are `unreadableCall`s). A damaged
/// file throws from `next()` after every record before the damage (see `CaptureFileReader`).
///
/// Not thread-safe: one reader belongs to one task at a time.
public final class SessionReader {
    /// One record of the file.
    public enum Item {
        /// A socket call.
        case call(SessionCall)
        /// A captured packet (any interface but the calls').
        case packet(PacketRecord)
        /// A record on an upper-PDU interface that is not a readable call.
        case unreadableCall(SessionFormatError)
    }

    public let reader: CaptureFileReader

    public init(reader: CaptureFileReader) {
        self.reader = reader
    }

    public convenience init(source: CaptureSource) throws {
        self.init(reader: try CaptureFileReader(source: source))
    }

    /// The section comments read so far (the first section's is known once the reader is open).
    public var sectionComments: [String] { reader.sectionComments }

    /// The session's settings, when a section comment holds them (`seam-session …`).
    public var settings: SessionSettings? { Self.settings(of: reader) }

    /// Whether the file is a Seam session (a section states `seam-session` settings).
    public var isSession: Bool { settings != nil }

    /// The next record, or `nil` at the end of the file.
    public func next() throws -> Item? {
        guard let record = try reader.next() else { return nil }
        guard record.linkType == .wiresharkUpperPDU else { return .packet(record) }
        do {
            return .call(try SessionCall.decode(record: record))
        } catch let error as SessionFormatError {
            return .unreadableCall(error)
        }
    }

    /// The settings of the first section that states them.
    public static func settings(of reader: CaptureFileReader) -> SessionSettings? {
        for comment in reader.sectionComments where comment.hasPrefix(SessionSettings.marker) {
            if let settings = try? SessionSettings(parsing: comment) { return settings }
        }
        return nil
    }
}

/// Not thread-safe: a SessionReader belongs to one task at a time.
@available(*, unavailable)
extension SessionReader: Sendable {}
