/// What the client command did in one run of `seam check --client`.
public struct ClientBehaviour: Sendable, Hashable {
    /// Its exit status (128 + signal when a signal ended it); `nil` when Seam had to kill it at the timeout.
    public var exitStatus: Int32?
    /// Whether it connected at all.
    public var connected = false
    /// Every byte it sent.
    public var bytes: [UInt8] = []
    /// For each answer: the client bytes Seam had heard when it wrote the answer's last byte.
    public var heardBeforeAnswerEnd: [Int] = []
    /// The first answer the client spoke into before having all of it: the answer, and how many of its bytes
    /// Seam had written when the client's bytes went past what it had sent by then in the baseline.
    public var spokeEarly: SpokeEarly?

    /// The client spoke into answer `answer` when Seam had written `written` of its bytes.
    public struct SpokeEarly: Sendable, Hashable {
        public var answer: Int
        public var written: Int
    }
    /// How its connection ended: by an end-of-file, or a reset (it closed with bytes unread).
    public var reset = false
    /// The check's budget ran out during the run: it compares with nothing.
    public var interrupted = false

    public init() {}

    /// How `self` differs from `baseline`, in words; `nil` when it does not.
    public func difference(from baseline: ClientBehaviour, lengths: [Int], exact: Bool) -> String? {
        var parts: [String] = []
        if !connected && baseline.connected { parts.append("the client never connected") }
        if exitStatus != baseline.exitStatus {
            let what = exitStatus.map { "exited with status \($0)" } ?? "did not exit in time (killed)"
            parts.append("the client \(what) instead of \(baseline.exitStatus.map(String.init) ?? "being killed")")
        }
        if exact ? bytes != baseline.bytes : bytes.count != baseline.bytes.count {
            if bytes.count != baseline.bytes.count {
                parts.append("the client sent \(bytes.count) bytes instead of \(baseline.bytes.count)")
            } else {
                let at = bytes.indices.first { bytes[$0] != baseline.bytes[$0] } ?? 0
                parts.append("the client sent other bytes from byte \(at) on")
            }
        }
        if let early = spokeEarly, baseline.spokeEarly == nil {
            let (answer, written) = (early.answer, early.written)
            let length = answer < lengths.count ? " of the \(lengths[answer])" : ""
            parts.append(
                "the client sent its next request when only \(written)\(length) bytes of answer \(answer) "
                    + "had been sent to it "
                    + "(as recorded it waited for all of them): it took a read for the whole answer"
            )
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }
}
