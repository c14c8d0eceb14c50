import Testing

@testable import SeamCore

/// The text lanes never cut a label silently: `|102|10|90|` once meant 1024, 1024 and 904 (issue 19).
@Suite struct LaneDrawingTests {
    static func r(_ a: UInt64, _ b: UInt64) -> LayerRange {
        LayerRange(range: a..<b, time: Timestamp(nanoseconds: 1_700_000_000_000_000_000))
    }

    static func timeline(recvs: [LayerRange], messages: [Range<UInt64>]) -> DirectionTimeline {
        var timeline = DirectionTimeline(direction: .clientToServer, proto: .tcp)
        timeline.recvs = recvs
        timeline.messages = messages.map { MessageRange(range: $0) }
        timeline.bytes = messages.last?.upperBound ?? 0
        return timeline
    }

    /// Each cell of the row named `lane`: the text between two `|`, trimmed.
    static func cells(_ text: String, lane: String) -> [String] {
        guard let row = text.split(separator: "\n").first(where: { $0.hasPrefix("    \(lane) ") }) else { return [] }
        let drawn = row.drop { $0 != "|" }
        return drawn.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
            .map { String($0).trimmingSpaces }
    }

    @Test("a number that does not fit its range is shown cut with a mark, and one that fits whole")
    func cutNumbersAreMarked() {
        let recvs = [Self.r(0, 1024), Self.r(1024, 2048), Self.r(2048, 2952)]
        for width in [8, 10, 12, 16, 20, 64] {
            let drawing = LaneDrawing(
                timeline: Self.timeline(recvs: recvs, messages: recvs.map(\.range)),
                observations: [],
                width: width
            )
            let cells = Self.cells(drawing.text(style: TextStyle(color: false)), lane: "recv")
            #expect(cells.count == 3, "width \(width): \(cells)")
            for (cell, label) in zip(cells, ["1024", "1024", "904"]) {
                let marked = cell.hasSuffix("…") || cell.hasSuffix("·")
                #expect(
                    cell == label || cell.isEmpty || (marked && label.hasPrefix(String(cell.dropLast()))),
                    "width \(width): \(cell.debugDescription) stands for \(label) without a cut mark"
                )
            }
        }
    }

    @Test("with room the labels are whole")
    func wideLanesShowWholeNumbers() {
        let recvs = [Self.r(0, 1024), Self.r(1024, 2048), Self.r(2048, 2952)]
        let drawing = LaneDrawing(timeline: Self.timeline(recvs: recvs, messages: recvs.map(\.range)), observations: [])
        #expect(Self.cells(drawing.text(style: TextStyle(color: false)), lane: "recv") == ["1024", "1024", "904"])
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
