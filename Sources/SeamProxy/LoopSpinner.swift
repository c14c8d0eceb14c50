import NIOCore

/// Keeps an event loop polling, instead of sleeping in `epoll_wait`, for a short time after each read: busy
/// polling, for request/response traffic.
///
/// A relayed round trip wakes four threads in turn (the proxy, the server, the proxy, the client), and on a
/// loaded machine each wake-up costs more than the relay's work. While a task is queued, NIO's loop polls its
/// sockets without blocking, so a task that re-queues itself for `window` after the last read makes the proxy's
/// two wake-ups disappear from the round trip: the reply is read as soon as it is in the socket. Bulk traffic
/// does not notice (the loop is busy anyway); an idle proxy spins at most `window` after its last read.
///
/// One per event loop; lives on it.
final class LoopSpinner {
    /// How long the loop polls after the last read.
    static let window = TimeAmount.microseconds(200)

    private let loop: any EventLoop
    private var lastActivity = NIODeadline.uptimeNanoseconds(0)
    private var spinning = false

    init(loop: any EventLoop) {
        self.loop = loop
    }

    /// A read happened: keep polling for another `window`.
    func noteActivity() {
        lastActivity = .now()
        guard !spinning else { return }
        spinning = true
        spin()
    }

    private func spin() {
        guard NIODeadline.now() - lastActivity < Self.window else {
            spinning = false
            return
        }
        let spinner = NIOLoopBound(self, eventLoop: loop)
        loop.execute { spinner.value.spin() }
    }
}

/// Not Sendable: it lives on its event loop.
@available(*, unavailable)
extension LoopSpinner: Sendable {}
