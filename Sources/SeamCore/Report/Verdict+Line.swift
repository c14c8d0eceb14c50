/// A verdict as one line, for the live output of `seam proxy` and `seam trace` (printed as soon as the flow
/// closed): `✗ acted-on-partial tcp.0 s2c: the client read 1024 of message 0's 5080 bytes, …`.
extension Verdict {
    /// The text line, without newline.
    public var line: String {
        "✗ \(kind.rawValue) \(flow) \(direction.rawValue): \(ReportWords.summary(self)). Fix: \(ReportWords.fix(self))"
    }

    /// The line as one JSON object (`{"verdict": {…}}`, the report's verdict object), without newline.
    public var jsonLine: String {
        JSONValue.object([("verdict", json())]).serialized()
    }
}
