import Dispatch

/// Runs the analysis of closed flows (the rules, delivery records and verdicts of `FlowAssembly`) on other
/// cores while the reading thread goes on reading, framing and reassembling. Flows are independent once they
/// have closed and gone quiet: the reader hands a flow's layers over and never touches them again, so a
/// worker owns them. At most `2 × workers` flows wait or run at once (the reader waits past that), so what
/// is held stays bounded; `wait()` returns when every flow handed over has its report.
///
/// The reports land in their `ClosedFlow` (the report keeps flow order from the flow table, not from the
/// order the workers finish in), so the output is the serial one.
final class AnalysisPool: @unchecked Sendable {
    private let group = DispatchGroup()
    private let slots: DispatchSemaphore
    private let queue = DispatchQueue(label: "seam.analysis", attributes: .concurrent)

    init(workers: Int) {
        slots = DispatchSemaphore(value: 2 * max(1, workers))
    }

    /// Runs `work` on a worker; waits first while `2 × workers` are in flight.
    func run(_ work: @escaping @Sendable () -> Void) {
        slots.wait()
        queue.async(group: group) { [slots] in
            work()
            slots.signal()
        }
    }

    /// Waits until every piece of work handed over has run.
    func wait() {
        group.wait()
    }
}

/// A value handed to a worker that the sending thread no longer touches (the layers of a flow it let go, a
/// snapshot): what makes the hand-over safe is that rule, which the compiler cannot check.
struct HandedOver<Value>: @unchecked Sendable {
    let value: Value
}
