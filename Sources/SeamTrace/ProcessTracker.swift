import SeamCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Follows the processes of a traced program from SeamPreload's process records: names them (for
/// `ProgramCall.command`), knows which may still write (for the bounded drain), and finds those that ran
/// without the library — never a silent "0 calls".
///
/// A program image that loads the library announces itself (`start`); a process announces the program it is
/// about to exec (`exec`) and the children it posix_spawns (`spawn`); the recorder announces the program it
/// started itself (`expect(program:path:)`). An exec or spawn that no `start` from that pid answers ran
/// without the library: `untraced(linkage:)` says why (static, Go, setuid, environment dropped), reading the
/// program's ELF file. A `start` of a Go program is untraced too: the library is there, its calls bypass it.
///
/// A value type fed from one thread.
public struct ProcessTracker: Sendable {
    private struct Started: Hashable {
        var pid: UInt32
        var path: String
    }

    private var commands: [UInt32: String] = [:]
    /// Every pid announced: started, forked, spawned or exec'ing.
    public private(set) var pids: Set<UInt32> = []
    /// exec and spawn events not answered by a `start` yet.
    private var awaiting: [UInt32: ProcessEvent] = [:]
    private var startedPIDs: Set<UInt32> = []
    private var started: [Started] = []

    public init() {}

    /// Notes the program the recorder started itself: a `start` from `pid` is expected.
    public mutating func expect(program pid: UInt32, path: String, time: Timestamp = .now()) {
        note(ProcessEvent(kind: .spawn, pid: pid, reporter: pid, path: path, time: time))
    }

    public mutating func note(_ event: ProcessEvent) {
        pids.insert(event.pid)
        pids.insert(event.reporter)
        switch event.kind {
        case .start:
            awaiting[event.pid] = nil
            startedPIDs.insert(event.pid)
            if let path = event.path { started.append(Started(pid: event.pid, path: path)) }
            if let command = event.command { commands[event.pid] = command }
        case .fork:
            if commands[event.pid] == nil, let command = commands[event.reporter] { commands[event.pid] = command }
        case .exec:
            awaiting[event.pid] = event
        case .execFailed:
            if awaiting[event.pid]?.kind == .exec { awaiting[event.pid] = nil }
        case .spawn:
            // A spawned child may announce its start before its parent announces the spawn.
            if !startedPIDs.contains(event.pid) { awaiting[event.pid] = event }
        }
    }

    /// The command name of `pid` (its `comm`), when it announced one or inherited its parent's by fork.
    public func command(of pid: UInt32) -> String? { commands[pid] }

    /// The announced processes still running (zombies are not): those that may still write.
    public func living() -> [UInt32] {
        pids.filter { Self.isRunning($0) }.sorted()
    }

    /// The processes that ran without the library, and why. `linkage` inspects a program file (tests pass
    /// their own).
    public func untraced(linkage: (String) -> ProgramLinkage = { ProgramLinkage.inspect(path: $0) })
        -> [UntracedProcess]
    {
        var found: [UntracedProcess] = []
        var cache: [String: ProgramLinkage] = [:]
        func inspect(_ path: String) -> ProgramLinkage {
            if let known = cache[path] { return known }
            let result = linkage(path)
            cache[path] = result
            return result
        }
        for event in awaiting.values.sorted(by: { $0.pid < $1.pid }) {
            let path = event.path ?? "?"
            let reason: UntracedProcess.Reason
            if !event.carriesTrace {
                reason = .environmentDropped
            } else {
                switch inspect(path) {
                case .staticallyLinked: reason = .staticallyLinked
                case .goRuntime: reason = .goRuntime
                case .unknown(let why): reason = .notLoaded("did not load libSeamPreload.so (\(why))")
                case .dynamic:
                    reason = Self.isSetID(path) ? .setID : .notLoaded("did not load libSeamPreload.so")
                }
            }
            found.append(UntracedProcess(pid: event.pid, path: path, reason: reason))
        }
        for start in Set(started) where inspect(start.path) == .goRuntime {
            found.append(UntracedProcess(pid: start.pid, path: start.path, reason: .goRuntime))
        }
        return found.sorted { ($0.pid, $0.path) < ($1.pid, $1.path) }
    }

    /// Whether `/proc/<pid>/stat` says the process runs (its state is not zombie or dead).
    static func isRunning(_ pid: UInt32) -> Bool {
        let fd = open("/proc/\(pid)/stat", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = read(fd, &buffer, buffer.count)
        guard count > 0 else { return false }
        // "pid (comm) S ...": the state follows the last ')'.
        guard let close = buffer[..<count].lastIndex(of: UInt8(ascii: ")")), close + 2 < count else { return false }
        let state = buffer[close + 2]
        return state != UInt8(ascii: "Z") && state != UInt8(ascii: "X") && state != UInt8(ascii: "x")
    }

    static func isSetID(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & (S_ISUID | S_ISGID) != 0
    }
}
