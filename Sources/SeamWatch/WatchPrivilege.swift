import CSeamWatch

#if canImport(Glibc)
import Glibc
#endif

/// Whether this process may run `seam watch`: load BPF programs (CAP_BPF), attach them to tracepoints and
/// read kernel memory in them (CAP_PERFMON), or CAP_SYS_ADMIN for both (root has all three); and whether
/// the kernel has BTF for CO-RE.
///
/// `SEAM_NO_BPF_PRIVILEGE=1` in the environment makes every check fail as if the capabilities were
/// missing, so the unprivileged path can be tested as root.
public enum WatchPrivilege {
    /// Where the kernel's BTF is.
    public static let kernelBTFPath = "/sys/kernel/btf/vmlinux"

    static let sysAdmin = 21
    static let perfmon = 38
    static let bpf = 39

    /// What stops `seam watch` from running here, or `nil` when nothing does.
    public static func problem() -> WatchError? {
        if let missing = missingCapabilities() { return .noPrivilege(missing: missing) }
        if access(kernelBTFPath, R_OK) != 0 { return .noKernelBTF(path: kernelBTFPath) }
        return nil
    }

    /// Whether `seam watch` can run here (`seam trace` uses it then).
    public static var isPermitted: Bool { problem() == nil }

    /// The capabilities this process lacks, by name (`CAP_BPF`, `CAP_PERFMON`); `nil` when it has them.
    static func missingCapabilities() -> [String]? {
        if let value = getenv("SEAM_NO_BPF_PRIVILEGE"), String(cString: value) == "1" {
            return ["CAP_BPF", "CAP_PERFMON"]
        }
        var effective: UInt64 = 0
        guard seam_watch_effective_capabilities(&effective) == 0 else { return ["CAP_BPF", "CAP_PERFMON"] }
        func has(_ capability: Int) -> Bool { effective & (1 << UInt64(capability)) != 0 }
        if has(sysAdmin) { return nil }
        var missing: [String] = []
        if !has(bpf) { missing.append("CAP_BPF") }
        if !has(perfmon) { missing.append("CAP_PERFMON") }
        return missing.isEmpty ? nil : missing
    }
}
