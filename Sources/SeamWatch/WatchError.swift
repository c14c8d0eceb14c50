/// Why a watch could not run.
public enum WatchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The process may not load and attach BPF programs; `missing` names the capabilities it lacks.
    case noPrivilege(missing: [String])
    /// The kernel has no BTF (`/sys/kernel/btf/vmlinux`), which the CO-RE program needs.
    case noKernelBTF(path: String)
    /// The kernel refused the BPF object, or libbpf failed (the loader's message: the step, the reason and
    /// libbpf's last words).
    case cannotLoad(String)
    /// The selection is impossible (too many ports, a command name too long, nothing selected).
    case badSelection(String)
    /// A `--pid` is not a running process.
    case noSuchProcess(Int32)
    /// The program to start was not found or could not be started.
    case cannotRun(program: String, reason: String)
    /// The session file could not be written.
    case cannotRecord(path: String, reason: String)

    public var description: String {
        switch self {
        case .noPrivilege(let missing):
            return "seam watch loads eBPF programs, which needs CAP_BPF and CAP_PERFMON (or root); this process "
                + "lacks \(missing.joined(separator: " and ")). Run it as root (sudo), or give the binary the "
                + "capabilities: sudo setcap cap_bpf,cap_perfmon,cap_net_raw,cap_net_admin+ep PATH-TO-seam"
        case .noKernelBTF(let path):
            return "\(path) is missing: this kernel has no BTF (CONFIG_DEBUG_INFO_BTF), which seam watch's "
                + "CO-RE program needs; use seam trace --method preload instead"
        case .cannotLoad(let reason): return "cannot load the eBPF programs: \(reason)"
        case .badSelection(let reason): return reason
        case .noSuchProcess(let pid): return "no process \(pid) is running"
        case .cannotRun(let program, let reason): return "cannot run \(program): \(reason)"
        case .cannotRecord(let path, let reason): return "cannot write \(path): \(reason)"
        }
    }
}
