import ArgumentParser
import SeamCore

extension StreamViewFormat: ExpressibleByArgument {}

/// Writes `seam inspect --stream` as the capture is read: a `StreamFollower` for the flow, whose chunks go
/// through the chosen `StreamView` to standard output at once (nothing of the flow is kept).
final class StreamViewWriter {
    private let flow: FlowID
    private let directions: FollowedDirections
    private var view: any StreamView
    private let format: StreamViewFormat
    private let output: StandardOutput

    /// The consumer to add to the flow table.
    private(set) lazy var follower = StreamFollower(
        flow: flow,
        directions: directions,
        onStart: { [unowned self] in self.output.write(bytes: self.view.begin($0, directions: self.directions)) },
        onChunk: { [unowned self] in self.output.write(bytes: self.view.render($0)) }
    )

    init(flow: FlowID, directions: FollowedDirections, view format: StreamViewFormat, output: StandardOutput) {
        self.flow = flow
        self.directions = directions
        self.view = format.makeView()
        self.format = format
        self.output = output
    }

    /// Ends the view (its closing lines) once the capture was read; for `--as raw`, says on standard error
    /// what holes it left out.
    func finish(file: String) {
        guard follower.followed != nil else { return }
        output.write(bytes: view.end())
        guard format == .raw else { return }
        for direction in Direction.allCases where directions.contains(direction) {
            let counts = follower.tally[direction]
            guard counts.holes > 0 else { continue }
            output.flush()
            FileHandleStderr.write(
                "seam: \(file): \(flow) \(direction.rawValue): \(counts.missingBytes) bytes missing in the capture "
                    + "(\(counts.holes) hole\(counts.holes == 1 ? "" : "s")), left out of the raw bytes\n"
            )
        }
    }
}
