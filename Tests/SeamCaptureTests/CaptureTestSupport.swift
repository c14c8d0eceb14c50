import SeamCapture

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// When the live-capture tests can run: as root, or with CAP_NET_RAW (probed). They print why when skipped.
enum CaptureTestSupport {
    static let canCaptureOnLoopback: Bool = {
        let can = LiveCapture.canCapture(interface: LiveCapture.loopbackInterfaceName)
        if !can {
            print("skipping live capture tests: no capture privilege (uid \(getuid())); run as root")
        }
        return can
    }()

    /// A flag one thread clears to stop another.
    final class Flag: @unchecked Sendable {
        private var lock = pthread_mutex_t()
        private var value = true
        init() { pthread_mutex_init(&lock, nil) }
        var isSet: Bool {
            pthread_mutex_lock(&lock)
            defer { pthread_mutex_unlock(&lock) }
            return value
        }
        func clear() {
            pthread_mutex_lock(&lock)
            value = false
            pthread_mutex_unlock(&lock)
        }
    }

    /// Collects what a capture delivers, for checking after `stop()`.
    final class Collector: @unchecked Sendable {
        private var lock = pthread_mutex_t()
        private var collected: [CapturedPacket] = []
        init() { pthread_mutex_init(&lock, nil) }
        func add(_ packet: CapturedPacket) {
            pthread_mutex_lock(&lock)
            collected.append(packet)
            pthread_mutex_unlock(&lock)
        }
        var packets: [CapturedPacket] {
            pthread_mutex_lock(&lock)
            defer { pthread_mutex_unlock(&lock) }
            return collected
        }
    }
}
