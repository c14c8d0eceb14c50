/// One lane of an HTML timeline (send, segment or datagram, recv, message) as the rectangles it will draw,
/// with the hover text of each. A lane of more than `cap` ranges is drawn as `cap` blocks of adjacent ranges
/// (`"50 segments"`), so a flow of 100 000 segments stays a page of a few hundred kilobytes.
struct TimelineLane {
    /// One rectangle: a range, or a block of `count` adjacent ranges.
    struct Item {
        var range: Range<UInt64>
        /// Ranges the rectangle stands for (1, or more for a merged block).
        var count: Int
        /// Hover text (not yet escaped).
        var title: String
        /// Text to draw inside the rectangle when it is wide enough (not yet escaped).
        var label: String?
        /// Extra CSS classes: `retx`, `trunc`, `split`, `incomplete`, `merged`.
        var classes: [String] = []
        /// recv of a datagram: the bytes `recvfrom(N)` lost off its end, drawn after the range.
        var lostTail: Range<UInt64>? = nil
    }

    /// The lane's name as the page shows it (`send`, `segment`, `datagram`, `recv`, `message`).
    var name: String
    /// CSS class of its rectangles.
    var style: String
    /// Whether the layer was observed at all; an unobserved lane draws greyed "not observed".
    var isObserved: Bool
    /// Ranges in the layer (before merging).
    var total: Int
    var items: [Item]
    /// Ranges merged per block, 1 when every range has its own rectangle.
    var rangesPerBlock: Int
    /// A short line under the name (`2 calls`, `what-if recv(1024)`).
    var caption: String

    /// The lane of a layer's ranges, sorted by offset; merged into blocks beyond `cap`.
    init(
        name: String,
        style: String,
        ranges: [LayerRange]?,
        cap: Int,
        caption: (Int) -> String,
        describe: (Int, LayerRange) -> Item
    ) {
        self.name = name
        self.style = style
        self.isObserved = ranges != nil
        let sorted = (ranges ?? []).enumerated().sorted {
            ($0.element.range.lowerBound, $0.offset) < ($1.element.range.lowerBound, $1.offset)
        }
        self.total = sorted.count
        self.caption = ranges == nil ? "not observed" : caption(sorted.count)
        if sorted.count <= cap {
            self.rangesPerBlock = 1
            self.items = sorted.map { describe($0.offset, $0.element) }
            return
        }
        let perBlock = (sorted.count + cap - 1) / cap
        self.rangesPerBlock = perBlock
        var items: [Item] = []
        items.reserveCapacity(cap)
        var start = 0
        while start < sorted.count {
            let block = sorted[start..<min(start + perBlock, sorted.count)]
            let low = block.map(\.element.range.lowerBound).min()!
            let high = block.map(\.element.range.upperBound).max()!
            let first = block.map(\.element.time).min()!
            let last = block.map(\.element.time).max()!
            let title =
                "\(block.count) \(name)s, \(start + 1)–\(start + block.count) · bytes \(low)–\(high) · "
                + "\(first.timeOfDay) – \(last.timeOfDay)"
            items.append(Item(range: low..<high, count: block.count, title: title, classes: ["merged"]))
            start += perBlock
        }
        self.items = items
    }

    /// The message lane: one rectangle per message (or per block of messages beyond `cap`).
    init(messages: [MessageRange], source: MessageSource, hints: [FramingSpec], split: Set<Int>, cap: Int) {
        self.name = "message"
        self.style = "msg"
        self.isObserved = !messages.isEmpty || source != .unknown
        self.total = messages.count
        if messages.isEmpty {
            let hintText = hints.isEmpty ? "" : "; would fit: " + hints.map(\.description).joined(separator: ", ")
            self.caption = source == .unknown ? "unknown\(hintText)" : "none"
        } else {
            self.caption = "\(messages.count) · \(source)"
        }
        if messages.count <= cap {
            self.rangesPerBlock = 1
            self.items = messages.enumerated().map { index, message in
                var title =
                    "message \(index) · bytes \(message.range.lowerBound)–\(message.range.upperBound) "
                    + "(\(message.range.count) B)"
                if let time = message.time { title += " · \(time.timeOfDay)" }
                if let summary = message.summary { title += " · \(summary)" }
                var classes: [String] = []
                if !message.isComplete {
                    title += " · incomplete"
                    classes.append("incomplete")
                }
                if split.contains(index) {
                    title += " · split"
                    classes.append("split")
                }
                return Item(
                    range: message.range,
                    count: 1,
                    title: title,
                    label: message.summary ?? "\(message.range.count) B",
                    classes: classes
                )
            }
            return
        }
        let perBlock = (messages.count + cap - 1) / cap
        self.rangesPerBlock = perBlock
        var items: [Item] = []
        var start = 0
        while start < messages.count {
            let end = min(start + perBlock, messages.count)
            let low = messages[start].range.lowerBound
            let high = messages[start..<end].map(\.range.upperBound).max()!
            var title =
                "\(end - start) messages, \(start)–\(end - 1) · bytes \(low)–\(high)"
            let splitCount = (start..<end).filter(split.contains).count
            var classes = ["merged"]
            if splitCount > 0 {
                title += " · \(splitCount) split"
                classes.append("split")
            }
            items.append(Item(range: low..<high, count: end - start, title: title, classes: classes))
            start = end
        }
        self.items = items
    }

    /// The note under the timeline when this lane was merged, nil when every range is drawn.
    var mergeNote: String? {
        guard rangesPerBlock > 1 else { return nil }
        return "\(name) lane: \(total) ranges drawn as \(items.count) blocks of up to \(rangesPerBlock) adjacent "
            + "ranges (hover a block for its span)"
    }

    /// Words for a segment's reassembly marks.
    static func markWords(_ marks: TCPSegmentMarks) -> [String] {
        var words: [String] = []
        if marks.contains(.retransmission) { words.append("retransmission") }
        if marks.contains(.outOfOrder) { words.append("out-of-order") }
        if marks.contains(.ahead) { words.append("previous segment not captured") }
        if marks.contains(.conflict) { words.append("conflicting retransmission") }
        if marks.contains(.zeroWindow) { words.append("zero window") }
        if marks.contains(.payloadCut) { words.append("payload cut by snaplen") }
        return words
    }
}
