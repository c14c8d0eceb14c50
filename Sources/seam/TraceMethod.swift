import ArgumentParser
import SeamWatch

/// How `seam trace` records a program's calls (`--method`).
enum TraceMethod: String, CaseIterable, ExpressibleByArgument {
    /// seam watch's eBPF probes: any program, static or not; needs CAP_BPF and CAP_PERFMON (root).
    case ebpf
    /// LD_PRELOAD=libSeamPreload.so: dynamically linked programs; no privilege.
    case preload

    /// The method to use: the one asked for, else eBPF when this process may load it, else LD_PRELOAD; and
    /// the line that says which (and, for LD_PRELOAD by default, why not eBPF).
    static func choose(_ asked: TraceMethod?) -> (method: TraceMethod, notice: String) {
        if let asked { return (asked, asked == .ebpf ? "recording with eBPF" : "recording with LD_PRELOAD") }
        if let problem = WatchPrivilege.problem() {
            let reason: String
            switch problem {
            case .noPrivilege(let missing): reason = "no " + missing.joined(separator: "/")
            case .noKernelBTF: reason = "the kernel has no BTF"
            default: reason = "\(problem)"
            }
            return (.preload, "recording with LD_PRELOAD (eBPF not permitted: \(reason))")
        }
        return (.ebpf, "recording with eBPF")
    }
}
