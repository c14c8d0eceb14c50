import CPcap
import SeamCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A libpcap capture on one interface, read on its own thread.
///
/// `init` opens and activates the interface (immediate mode, a 32 MiB buffer, snap length 262144, nanosecond
/// timestamps where the platform has them) and installs the BPF filter; errors name what was wrong in one line.
/// `start(consumer:)` starts two threads: the capture thread waits in `poll` on libpcap's selectable descriptor
/// (non-blocking mode, a short timeout so `stop()` is prompt), copies each packet out of libpcap's buffer and
/// passes it through a bounded queue to the delivery thread, which calls `consumer` with one packet at a time,
/// in capture order. Neither thread is a NIO event loop or part of Swift's concurrency pool.
///
/// `stop()` drains: the capture thread reads until libpcap has nothing pending that was stamped before the stop
/// (for at most a second under ongoing traffic), reads `pcap_stats`, and the delivery thread hands every queued
/// packet to the consumer before `stop()` returns the statistics. A started capture must be stopped: its
/// capture thread keeps it alive until then.
///
/// Thread safety: `requestStop()`, `isRunning` and `failure` may be called from any thread; `start` and `stop`
/// from one controlling thread. The consumer runs on the delivery thread only, never concurrently with itself,
/// and everything it did happens before `stop()` returns.
public final class LiveCapture: @unchecked Sendable {
    /// The interface name given to libpcap (`lo`, `eth0`, `any`).
    public let interface: String
    /// The BPF filter in effect, as given; `nil` captures everything.
    public let filter: String?
    /// The link-layer header type of the captured packets (`pcap_datalink`).
    public let linkType: LinkType
    /// Bytes kept of each packet.
    public let snapLength: Int
    /// Whether timestamps carry nanoseconds (otherwise microseconds, multiplied by 1000).
    public let hasNanosecondTimestamps: Bool
    /// libpcap's warnings from activation (e.g. promiscuous mode not supported), one line each.
    public let warnings: [String]

    private let handle: OpaquePointer
    private let configuration: CaptureConfiguration
    private let lock = Monitor()
    private var stopRequested = false
    private var loopEnded = false
    private var started = false
    private var loopFailure: CaptureError?
    private var finalStatistics: CaptureStatistics?
    private var captureThread: NativeThread?
    private var deliveryThread: NativeThread?

    /// Opens `interface`, activates it and installs `filter`.
    ///
    /// - Throws: `CaptureError.noSuchInterface`, `.permissionDenied` (also when the environment variable
    ///   `SEAM_NO_CAPTURE_PRIVILEGE=1` simulates an unprivileged process), `.interfaceDown`, `.badFilter`,
    ///   `.failed`.
    public init(
        interface: String,
        filter: String? = nil,
        configuration: CaptureConfiguration = CaptureConfiguration()
    ) throws(CaptureError) {
        if LiveCapture.privilegeIsSimulatedMissing {
            throw .permissionDenied(
                interface: interface,
                detail: "\(LiveCapture.simulatedMissingPrivilegeVariable)=1 simulates an unprivileged process",
                executable: LiveCapture.executablePath
            )
        }
        // Everything that can fail happens before `self` is whole: a throwing class initializer runs `deinit`
        // once all stored properties are set, and that would close the handle a second time.
        let handle = try LiveCapture.open(interface, filter: filter, configuration: configuration)
        self.handle = handle.pointer
        self.interface = interface
        self.filter = filter
        self.configuration = configuration
        self.warnings = handle.warnings
        hasNanosecondTimestamps = pcap_get_tstamp_precision(handle.pointer) == Int32(PCAP_TSTAMP_PRECISION_NANO)
        snapLength = Int(pcap_snapshot(handle.pointer))
        linkType = LinkType(dlt: pcap_datalink(handle.pointer))
    }

    /// Creates, configures and activates the pcap handle and installs the filter; closes it on any failure.
    private static func open(
        _ interface: String,
        filter: String?,
        configuration: CaptureConfiguration
    )
        throws(CaptureError) -> (pointer: OpaquePointer, warnings: [String])
    {
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        guard let handle = pcap_create(interface, &errorBuffer) else {
            throw .failed(interface: interface, operation: "opening", detail: cString(errorBuffer))
        }
        do throws(CaptureError) {
            try check(
                pcap_set_snaplen(handle, Int32(configuration.snapLength)),
                handle,
                interface,
                "setting the snap length"
            )
            try check(
                pcap_set_buffer_size(handle, Int32(configuration.bufferSize)),
                handle,
                interface,
                "setting the buffer size"
            )
            try check(
                pcap_set_immediate_mode(handle, configuration.immediateMode ? 1 : 0), handle, interface,
                "setting immediate mode")
            try check(
                pcap_set_promisc(handle, configuration.promiscuous ? 1 : 0),
                handle,
                interface,
                "setting promiscuous mode"
            )
            try check(
                pcap_set_timeout(handle, configuration.pollTimeoutMilliseconds),
                handle,
                interface,
                "setting the read timeout"
            )
            // Nanoseconds where the platform has them; libpcap refuses with TSTAMP_PRECISION_NOTSUP otherwise and
            // the capture keeps microseconds, which `hasNanosecondTimestamps` reports.
            _ = pcap_set_tstamp_precision(handle, Int32(PCAP_TSTAMP_PRECISION_NANO))
            let warnings = try activate(handle, interface: interface)
            if let filter {
                try BPFProgram.install(filter, on: handle)
            }
            if pcap_setnonblock(handle, 1, &errorBuffer) != 0 {
                throw CaptureError.failed(
                    interface: interface,
                    operation: "setting non-blocking mode",
                    detail: cString(errorBuffer)
                )
            }
            return (handle, warnings)
        } catch {
            pcap_close(handle)
            throw error
        }
    }

    deinit {
        // Never while the capture thread runs: it holds a reference until its loop has ended.
        pcap_close(handle)
    }

    /// Starts capturing: packets go, one at a time and in order, to `consumer` on the delivery thread.
    /// Call once.
    public func start(consumer: @escaping @Sendable (CapturedPacket) -> Void) throws(CaptureError) {
        let already = lock.withLock {
            defer { started = true }
            return started
        }
        precondition(!already, "LiveCapture.start called twice")
        // A capture thread that waits for its consumer reads nothing: it reports itself behind while it waits.
        var onFull: (@Sendable () -> Void)?
        if let onLag = configuration.onLag { onFull = { onLag(Int64.max) } }
        let queue = PacketQueue(
            capacity: configuration.queueCapacity,
            byteCapacity: configuration.queueByteCapacity,
            onFull: onFull
        )
        do {
            let linger = configuration.deliveryLingerMicroseconds
            deliveryThread = try NativeThread(name: "seam-deliver") {
                while let batch = queue.popAll() {
                    for packet in batch { consumer(packet) }
                    // Let a few packets gather before the next wake-up: under load one wake-up per
                    // `linger` instead of one per packet, which on a busy host is what costs.
                    if linger > 0 && batch.count < 1_024 { usleep(linger) }
                }
            }
            captureThread = try NativeThread(name: "seam-capture") { [self] in
                self.runLoop(into: queue)
            }
        } catch {
            lock.withLock { loopEnded = true }
            queue.finish()
            deliveryThread?.join()
            throw error
        }
    }

    /// Asks the capture to stop after draining; returns at once. Safe from any thread, including the consumer.
    public func requestStop() {
        lock.withLock {
            stopRequested = true
            lock.broadcast()
        }
    }

    /// Stops the capture: drains libpcap, delivers every queued packet, and returns the statistics.
    /// Idempotent; must not be called from the consumer (use `requestStop()` there).
    @discardableResult
    public func stop() -> CaptureStatistics {
        precondition(deliveryThread?.isCurrent != true, "LiveCapture.stop called from its consumer")
        requestStop()
        captureThread?.join()
        deliveryThread?.join()
        return lock.withLock {
            if let finalStatistics { return finalStatistics }
            let statistics = readStatistics(delivered: 0)
            finalStatistics = statistics
            return statistics
        }
    }

    /// Whether the capture thread is still reading (false before `start`, after `stop`, and after a failure).
    public var isRunning: Bool { lock.withLock { started && !loopEnded } }

    /// Why the capture loop ended early (the interface went away, …); `nil` while it runs or after a clean stop.
    public var failure: CaptureError? { lock.withLock { loopFailure } }

    /// Waits until the capture loop has ended (after `requestStop()` or a failure) or `milliseconds` passed;
    /// returns whether it ended.
    public func waitUntilEnded(milliseconds: Int) -> Bool {
        let deadline = Timestamp.now().nanoseconds + Int64(milliseconds) * 1_000_000
        return lock.withLock {
            while started && !loopEnded {
                if !lock.wait(until: deadline) && Timestamp.now().nanoseconds >= deadline { return false }
            }
            return true
        }
    }

    // MARK: - The capture thread

    /// Packets of one `pcap_dispatch` call, filled by the C callback.
    private final class DispatchBatch {
        var packets: [CapturedPacket] = []
        let nanoseconds: Bool
        init(nanoseconds: Bool) { self.nanoseconds = nanoseconds }
    }

    private static let collect: pcap_handler = { user, header, bytes in
        guard let user, let header else { return }
        let batch = Unmanaged<DispatchBatch>.fromOpaque(user).takeUnretainedValue()
        let stamp = header.pointee.ts
        let count = Int(header.pointee.caplen)
        let data = bytes.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
        batch.packets.append(
            CapturedPacket(
                timestamp: timestamp(
                    seconds: Int64(stamp.tv_sec),
                    fraction: Int64(stamp.tv_usec),
                    nanoseconds: batch.nanoseconds
                ),
                originalLength: Int(header.pointee.len),
                data: data
            )
        )
    }

    /// A `pcap_pkthdr` time: with nanosecond precision libpcap puts nanoseconds in `tv_usec`, else microseconds.
    static func timestamp(seconds: Int64, fraction: Int64, nanoseconds: Bool) -> Timestamp {
        Timestamp(seconds: seconds, nanoseconds: nanoseconds ? fraction : fraction * 1_000)
    }

    private func runLoop(into queue: PacketQueue) {
        let batch = DispatchBatch(nanoseconds: hasNanosecondTimestamps)
        let context = Unmanaged.passUnretained(batch).toOpaque().assumingMemoryBound(to: UInt8.self)
        let descriptor = pcap_get_selectable_fd(handle)
        var delivered: UInt64 = 0
        var failure: CaptureError?
        var newest = Timestamp(nanoseconds: 0)
        // Every ~100 ms the kernel's drop counter is looked at, so the summary can say when drops began and at
        // what rate the capture was taking packets in then.
        let startedAt = Timestamp.now()
        var checkedAt = startedAt
        var bytesSinceCheck = 0
        var dropsBegan: (afterSeconds: Double, bitsPerSecond: Double)?
        func checkDrops() {
            let now = Timestamp.now()
            let elapsed = now.seconds(since: checkedAt)
            guard dropsBegan == nil, elapsed >= 0.1 else { return }
            var stats = pcap_stat()
            if pcap_stats(handle, &stats) == 0, stats.ps_drop > 0 || stats.ps_ifdrop > 0 {
                dropsBegan = (now.seconds(since: startedAt), Double(bytesSinceCheck) * 8 / elapsed)
            }
            checkedAt = now
            bytesSinceCheck = 0
        }

        /// One `pcap_dispatch` of everything buffered; the packet count, or nil after an error.
        func dispatch() -> Int32? {
            let result = pcap_dispatch(handle, -1, LiveCapture.collect, context)
            if let last = batch.packets.last {
                newest = last.timestamp
                delivered += UInt64(batch.packets.count)
                for packet in batch.packets { bytesSinceCheck += packet.data.count }
                queue.push(batch.packets)
                batch.packets.removeAll(keepingCapacity: true)
            }
            if result < 0 && result != PCAP_ERROR_BREAK {
                failure = .failed(
                    interface: interface,
                    operation: "reading packets",
                    detail: String(cString: pcap_geterr(handle))
                )
                return nil
            }
            return max(result, 0)
        }

        while !lock.withLock({ stopRequested }) {
            if descriptor >= 0 {
                var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                let ready = poll(&poller, 1, configuration.pollTimeoutMilliseconds)
                if ready < 0 && errno != EINTR {
                    failure = .failed(
                        interface: interface,
                        operation: "waiting for packets",
                        detail: String(cString: strerror(errno))
                    )
                    break
                }
                if ready <= 0 {
                    configuration.onLag?(0)  // nothing pending: not behind
                    continue
                }
            } else {
                usleep(UInt32(configuration.pollTimeoutMilliseconds) * 1_000 / 5)
            }
            guard let count = dispatch() else { break }
            checkDrops()
            if let onLag = configuration.onLag {
                onLag(count > 0 ? max(0, Timestamp.now().nanoseconds - newest.nanoseconds) : 0)
            }
        }
        // The drain: whatever the kernel buffered before the stop request still goes to the consumer. It ends
        // when nothing is pending, when packets stamped after the request arrive (traffic that goes on would
        // otherwise keep it draining forever), or after a second at most.
        if failure == nil {
            let stopSeen = Timestamp.now()
            let giveUp = stopSeen.nanoseconds + 1_000_000_000
            while let count = dispatch(), count > 0, newest < stopSeen, Timestamp.now().nanoseconds < giveUp {}
        }
        var statistics = readStatistics(delivered: delivered)
        if statistics.totalDropped > 0 {
            statistics.dropsBegan = dropsBegan ?? (Timestamp.now().seconds(since: startedAt), 0)
        }
        lock.withLock {
            finalStatistics = statistics
            loopFailure = failure
            loopEnded = true
            lock.broadcast()
        }
        queue.finish()
    }

    private func readStatistics(delivered: UInt64) -> CaptureStatistics {
        var stats = pcap_stat()
        guard pcap_stats(handle, &stats) == 0 else {
            return CaptureStatistics(received: delivered, dropped: 0, interfaceDropped: 0, delivered: delivered)
        }
        return CaptureStatistics(
            received: UInt64(stats.ps_recv),
            dropped: UInt64(stats.ps_drop),
            interfaceDropped: UInt64(stats.ps_ifdrop),
            delivered: delivered
        )
    }
}
