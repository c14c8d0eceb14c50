import CSeamWatch

#if canImport(Glibc)
import Glibc
#endif

/// The BPF program of `seam watch`, loaded and attached: its probes run from `init` until `close()`, and
/// `poll` hands over the events they put into the ring buffer.
///
/// Not thread-safe: one thread opens, polls and closes it.
final class WatchProbes {
    /// The ring buffer's size: about 190 000 calls without payload, or 500 calls of 64 KiB.
    static let ringBytes: UInt32 = 32 << 20
    /// Events are submitted without waking the reader until this much waits (the reader polls every 10 ms).
    static let wakeupBytes: UInt32 = 4 << 20

    private var watch: OpaquePointer?

    /// Loads the program with `selection` (seam itself, `getpid()`, is never recorded).
    /// - Throws: `WatchError.noPrivilege` / `.noKernelBTF` before trying, `.cannotLoad` when the kernel refuses.
    init(selection: WatchSelection, ringBytes: UInt32 = WatchProbes.ringBytes) throws(WatchError) {
        if let problem = WatchPrivilege.problem() { throw problem }
        var config = selection.configuration(
            selfPid: UInt32(getpid()),
            wakeupBytes: min(Self.wakeupBytes, ringBytes / 4)
        )
        var message = [CChar](repeating: 0, count: 4096)
        let bytes = BPFObjectBytes.bytes
        let opened = bytes.withUnsafeBytes { object in
            seam_watch_open(object.baseAddress, object.count, &config, ringBytes, &message, message.count)
        }
        guard let opened else { throw .cannotLoad(String(cString: message)) }
        watch = opened
    }

    deinit { close() }

    /// Watches `pid` (and, from now on, its new children).
    func select(pid: Int32, followOnly: Bool = false) throws(WatchError) {
        guard let watch else { return }
        let selection = UInt8(followOnly ? SEAM_SELECT_FOLLOW.rawValue : SEAM_SELECT_RECORD.rawValue)
        let code = seam_watch_select(watch, UInt32(pid), selection)
        if code < 0 { throw .cannotLoad("cannot select process \(pid): \(String(cString: strerror(-code)))") }
    }

    /// Waits up to `milliseconds` (0: not at all) and hands each event to `handle`; returns how many came.
    @discardableResult
    func poll(milliseconds: Int32, _ handle: (WatchEvent) -> Void) -> Int {
        guard let watch else { return 0 }
        return withoutActuallyEscaping(handle) { handle in
            var box = Handler(handle: handle)
            let count = withUnsafeMutablePointer(to: &box) { pointer in
                seam_watch_poll(
                    watch,
                    milliseconds,
                    { context, data, size in
                        guard let context, let data else { return 0 }
                        let handler = context.assumingMemoryBound(to: Handler.self)
                        handler.pointee.take(UnsafeRawBufferPointer(start: data, count: size))
                        return 0
                    },
                    pointer
                )
            }
            return max(0, Int(count)) - box.undecodable
        }
    }

    private struct Handler {
        var handle: (WatchEvent) -> Void
        var undecodable = 0

        mutating func take(_ sample: UnsafeRawBufferPointer) {
            if let event = WatchEvent(sample) { handle(event) } else { undecodable += 1 }
        }
    }

    /// What the kernel side could not record so far.
    var losses: WatchLosses {
        var losses = WatchLosses()
        guard let watch else { return losses }
        var counters = [UInt64](repeating: 0, count: Int(SEAM_COUNTER_COUNT.rawValue))
        if seam_watch_counters(watch, &counters) == 0 {
            losses.ringFull = counters[Int(SEAM_COUNTER_RING_FULL.rawValue)]
            losses.callsInProgressFull = counters[Int(SEAM_COUNTER_CALLS_FULL.rawValue)]
            losses.messagesBeyondLimit = counters[Int(SEAM_COUNTER_MMSG_BEYOND.rawValue)]
            losses.processesNotFollowed = counters[Int(SEAM_COUNTER_WATCHED_FULL.rawValue)]
        }
        losses.missedRuns = seam_watch_missed_runs(watch)
        return losses
    }

    /// Detaches the probes. Idempotent.
    func close() {
        if let watch { seam_watch_close(watch) }
        watch = nil
    }
}

@available(*, unavailable)
extension WatchProbes: Sendable {}
