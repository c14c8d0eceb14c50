/// A capture file that Seam cannot read (or write) as it stands: which file, where, what was expected and
/// what was found.
///
/// `description` reads like `capture.pcapng: byte 4128: block length 7 is not a multiple of 4`. Readers throw
/// it only after delivering every packet before the fault; the caller decides whether to stop.
public struct CaptureFileError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file's name as the caller gave it (`-` for standard input).
    public var file: String
    /// Byte offset in the file where the fault is, or `nil` when it has no position (open, write).
    public var offset: Int?
    /// What the format requires there, e.g. `a length that is a multiple of 4`.
    public var expected: String
    /// What is there instead, e.g. `block length 7`.
    public var found: String
    /// The whole sentence shown to the user, without the file and offset.
    public var message: String

    public init(file: String, offset: Int?, expected: String, found: String, message: String) {
        self.file = file
        self.offset = offset
        self.expected = expected
        self.found = found
        self.message = message
    }

    public var description: String {
        if let offset { return "\(file): byte \(offset): \(message)" }
        return "\(file): \(message)"
    }
}
