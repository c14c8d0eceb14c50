import SeamCore

/// What a process record (`TraceRecord.Operation.process`) says: a process of the traced program started
/// with the preload library, forked, is about to exec, failed to exec, or spawned a child. `ProcessTracker`
/// follows them to name processes and to find the ones that ran without the library.
public struct ProcessEvent: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// The library was loaded into a new program image (the program itself, or a child after its exec).
        case start
        /// `pid` was forked (announced by its parent and by itself); it keeps the library without an exec.
        case fork
        /// `pid` is about to exec `path`; a `start` from it follows when the new image loads the library.
        case exec
        /// The exec announced before by `pid` failed (`errorNumber`): it is still the same program.
        case execFailed
        /// `pid` was started by posix_spawn from `reporter`, running `path`.
        case spawn
    }

    public var kind: Kind
    /// The process the event is about (fork and spawn: the child).
    public var pid: UInt32
    /// The process that sent the record.
    public var reporter: UInt32
    /// The reporter's parent.
    public var parent: UInt32
    /// The executable (start), or the program about to run (exec, spawn), as an absolute path when known.
    public var path: String?
    /// The command name (start: the kernel's `comm`, at most 15 characters).
    public var command: String?
    /// exec and spawn: whether the new program's environment still carries the trace (LD_PRELOAD with the
    /// library, and SEAM_TRACE_RING).
    public var carriesTrace: Bool
    /// execFailed: the errno of the exec.
    public var errorNumber: Int32
    public var time: Timestamp

    public init(
        kind: Kind,
        pid: UInt32,
        reporter: UInt32,
        parent: UInt32 = 0,
        path: String? = nil,
        command: String? = nil,
        carriesTrace: Bool = true,
        errorNumber: Int32 = 0,
        time: Timestamp
    ) {
        self.kind = kind
        self.pid = pid
        self.reporter = reporter
        self.parent = parent
        self.path = path
        self.command = command
        self.carriesTrace = carriesTrace
        self.errorNumber = errorNumber
        self.time = time
    }

    /// The event of a process record; `nil` for any other record.
    public init?(record: TraceRecord) {
        guard record.operation == .process else { return nil }
        let kinds: [String: Kind] = [
            "process-start": .start, "process-fork": .fork, "process-exec": .exec,
            "process-exec-failed": .execFailed, "process-spawn": .spawn,
        ]
        guard let kind = kinds[record.function] else { return nil }
        // payload: the path, then (start) a NUL and the command name
        let parts = (record.payload ?? []).split(separator: 0, maxSplits: 1, omittingEmptySubsequences: false)
        let text = parts.map { String(decoding: $0, as: UTF8.self) }
        self.init(
            kind: kind,
            pid: UInt32(truncatingIfNeeded: record.result),
            reporter: record.pid,
            parent: UInt32(bitPattern: record.optionValue),
            path: text.first.flatMap { $0.isEmpty ? nil : $0 },
            command: text.count > 1 && !text[1].isEmpty ? text[1] : nil,
            carriesTrace: record.flags & 1 != 0,  // SEAM_PROCESS_TRACE_ENV
            errorNumber: record.errorNumber,
            time: record.end
        )
    }
}
