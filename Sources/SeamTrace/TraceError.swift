/// Why a trace could not run.
public enum TraceError: Error, Sendable, CustomStringConvertible {
    /// The program to run was not found or could not be started.
    case cannotRun(program: String, reason: String)
    /// The program does not load libc dynamically, so LD_PRELOAD cannot see its calls.
    case untraceable(program: String, reason: String)
    /// libSeamPreload.so was not found.
    case noPreloadLibrary(searched: String)
    /// The channel to the traced program could not be set up.
    case channel(String)
    /// The session file could not be written.
    case cannotRecord(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotRun(let program, let reason): return "cannot run \(program): \(reason)"
        case .untraceable(let program, let reason):
            return "cannot trace \(program): \(reason); its socket calls bypass libc, so LD_PRELOAD cannot see "
                + "them (use seam proxy or seam capture instead)"
        case .noPreloadLibrary(let searched):
            return "\(PreloadLibrary.fileName) not found (looked in \(searched)); build it with swift build "
                + "or set SEAM_PRELOAD to its path"
        case .channel(let reason): return "cannot set up the trace channel: \(reason)"
        case .cannotRecord(let path, let reason): return "cannot write \(path): \(reason)"
        }
    }
}
