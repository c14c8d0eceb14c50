import Dispatch

/// Renders a report's flows on every core and emits the pieces in flow order: a batch of flows at a time is
/// rendered in parallel (each flow's text depends on that flow alone), then written out before the next batch,
/// so what waits in memory is one batch of text.
enum OrderedRendering {
    /// Flows rendered per batch.
    static let batchSize = 64

    /// Calls `emit` with `render(item)` for each item, in order; `workers` threads render (1: all here).
    static func forEach<Item>(
        _ items: [Item], workers: Int = ReportBatch.processorCount, render: @escaping (Item) -> String,
        emit: (String) -> Void
    ) {
        guard workers > 1, items.count > 1 else {
            for item in items { emit(render(item)) }
            return
        }
        let job = RenderJob(items: items, render: render, slots: min(batchSize, items.count))
        var start = 0
        while start < items.count {
            let count = min(batchSize, items.count - start)
            let first = start
            DispatchQueue.concurrentPerform(iterations: count) { index in job.render(first + index, into: index) }
            for index in 0..<count { emit(job.take(index)) }
            start += count
        }
    }
}

/// One rendering: the items and the renderer are only read; each slot is written by one iteration, then read
/// (and emptied) once `concurrentPerform` has returned.
private final class RenderJob<Item>: @unchecked Sendable {
    let items: [Item]
    let renderer: (Item) -> String
    /// Raw slots, not an array: iterations on several threads write them at once.
    let texts: UnsafeMutableBufferPointer<String>

    init(items: [Item], render: @escaping (Item) -> String, slots: Int) {
        self.items = items
        self.renderer = render
        texts = .allocate(capacity: slots)
        texts.initialize(repeating: "")
    }

    deinit {
        texts.deinitialize()
        texts.deallocate()
    }

    func render(_ item: Int, into slot: Int) {
        texts[slot] = renderer(items[item])
    }

    func take(_ slot: Int) -> String {
        defer { texts[slot] = "" }
        return texts[slot]
    }
}
