import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The reports of several files (`seam report FILE...`), built on every core and handed out in the order
/// the files were given, whatever order they finish in.
///
/// Each file is one `ReportBuilder.build`, on a worker of its own; files are independent, so the reports are
/// exactly those a serial run makes. Workers stay at most `2 × workers` files ahead of the caller's `deliver`,
/// so the reports waiting for their turn stay few.
public enum ReportBatch {
    /// What became of one file: its report, or why it could not be read at all.
    public typealias Outcome = Result<BoundaryReport, CaptureFileError>

    /// The online processors (at least 1).
    public static var processorCount: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    /// Builds the report of each source with `workers` files at a time (default: one per core) and calls
    /// `deliver` on the calling thread with each file's index and outcome, in index order.
    public static func build(
        sources: [CaptureSource], options: ReportOptions, workers: Int = processorCount,
        deliver: (Int, Outcome) -> Void
    ) {
        let count = sources.count
        let workers = max(1, min(workers, count))
        guard workers > 1 else {
            for (index, source) in sources.enumerated() { deliver(index, outcome(source, options)) }
            return
        }
        let slots = Slots(count: count)
        let ahead = DispatchSemaphore(value: 2 * workers)
        let group = DispatchGroup()
        for _ in 0..<workers {
            DispatchQueue.global().async(group: group) {
                while true {
                    ahead.wait()
                    guard let index = slots.claim() else {
                        ahead.signal()
                        return
                    }
                    slots.fill(index, with: outcome(sources[index], options))
                }
            }
        }
        for index in 0..<count {
            deliver(index, slots.take(index))
            ahead.signal()
        }
        group.wait()
    }

    /// `build`, collecting the outcomes in index order.
    public static func build(
        sources: [CaptureSource], options: ReportOptions, workers: Int = processorCount
    ) -> [Outcome] {
        var outcomes: [Outcome] = []
        build(sources: sources, options: options, workers: workers) { _, outcome in outcomes.append(outcome) }
        return outcomes
    }

    private static func outcome(_ source: CaptureSource, _ options: ReportOptions) -> Outcome {
        do {
            return .success(try ReportBuilder.build(source: source, options: options))
        } catch let error as CaptureFileError {
            return .failure(error)
        } catch {
            return .failure(
                CaptureFileError(
                    file: source.name, offset: nil, expected: "a readable file", found: "\(error)",
                    message: "\(error)"))
        }
    }
}

/// The outcomes in flight: the next index to claim, and one slot per file that its worker fills and the
/// caller empties (waiting on the slot's semaphore).
private final class Slots: @unchecked Sendable {
    private let lock = DispatchSemaphore(value: 1)
    private var next = 0
    private var outcomes: [ReportBatch.Outcome?]
    private let ready: [DispatchSemaphore]

    init(count: Int) {
        outcomes = Array(repeating: nil, count: count)
        ready = (0..<count).map { _ in DispatchSemaphore(value: 0) }
    }

    func claim() -> Int? {
        lock.wait()
        defer { lock.signal() }
        guard next < outcomes.count else { return nil }
        next += 1
        return next - 1
    }

    func fill(_ index: Int, with outcome: ReportBatch.Outcome) {
        lock.wait()
        outcomes[index] = outcome
        lock.signal()
        ready[index].signal()
    }

    func take(_ index: Int) -> ReportBatch.Outcome {
        ready[index].wait()
        lock.wait()
        defer { lock.signal() }
        let outcome = outcomes[index]!
        outcomes[index] = nil
        return outcome
    }
}
