import CSeamWatch
import SeamTrace

/// The system calls `seam watch` sees (`enum seam_watch_syscall` of `seam_watch.h`).
///
/// Names are the system calls', except that `sendto` and `recvfrom` without an address are named `send`
/// and `recv`, which is what libc's `send()` and `recv()` call (x86_64 and arm64 have no send/recv syscall).
enum WatchSyscall: UInt8, Sendable, CaseIterable {
    case read = 1, write, readv, writev, sendto, recvfrom, sendmsg, recvmsg, sendmmsg, recvmmsg, sendfile, splice
    case connect, accept, accept4, shutdown, close

    /// The name in `fn=`.
    func name(addressGiven: Bool) -> String {
        switch self {
        case .sendto where !addressGiven: return "send"
        case .recvfrom where !addressGiven: return "recv"
        case .sendfile: return "sendfile"
        default: return "\(self)"
        }
    }

    /// What the call is to the session, given the way the BPF side found its bytes went.
    func operation(way: WatchEvent.Way) -> TraceRecord.Operation {
        switch self {
        case .connect: return .connect
        case .accept, .accept4: return .accept
        case .shutdown: return .shutdown
        case .close: return .close
        default: return way == .recv ? .recv : .send
        }
    }
}
