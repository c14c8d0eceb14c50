import ArgumentParser
import SeamCore

extension StreamViewFormat: ExpressibleByArgument {}

/// Writes `seam inspect --stream` as the capture is read: a `StreamFollower` for the flow, whose chunks go
/// through the chosen `StreamView` to standard output at once (nothing of the flow is kept).
final class StreamViewWriter {
    let follower: StreamFollower
    private var view: any StreamView
    private let format: StreamViewFormat
    private let output: StandardOutput

    init(flow: FlowID, directions: FollowedDirections, view format: StreamViewFormat, output: StandardOutput) {
        self.view = format.makeView()
        self.format = format
        self.output = output
        var write: (StreamChunk) -> Void = { _ in }
        var start: (FollowedFlow) -> Void = { _ in }
        follower = StreamFollower(
            flow: flow,
            directions: directions,
            onStart: { start($0) },
            onChunk: { write($0) }
        )
        start = { [unowned self] flow in self.output.write(bytes: self.view.begin(flow, directions: directions)) }
        write = { [unowned self] chunk in self.output.write(bytes: self.view.render(chunk)) }
    }

    /// Ends the view (its closing lines) once the capture was read; for `--as raw`, says on standard error
    /// what holes it left out.
    func finish(file: String) {
        guard let flow = follower.followed else { return }
        output.write(bytes: view.end())
        guard format == .raw else { return }
        for direction in Direction.allCases where follower.directions.contains(direction) {
            let counts = follower.tally[direction]
            guard counts.holes > 0 else { continue }
            output.flush()
            FileHandleStderr.write(
                "seam: \(file): \(flow.id) \(direction.rawValue): \(counts.missingBytes) bytes missing in the capture "
                    + "(\(counts.holes) hole\(counts.holes == 1 ? "" : "s")), left out of the raw bytes\n"
            )
        }
    }
}
