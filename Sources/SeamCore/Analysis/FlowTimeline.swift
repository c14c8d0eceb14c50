/// Everything observed about one flow: both directions on their byte axes, and who each side is. The input
/// of the verdict rules, which need both directions at once (a program's reads on one, its writes on the other).
struct FlowTimeline {
    var id: String
    var proto: Transport
    var directions: DirectionPair<DirectionTimeline>
    var client: FlowPeer
    var server: FlowPeer

    subscript(side: Side) -> FlowPeer { side == .client ? client : server }
    subscript(direction: Direction) -> DirectionTimeline { directions[direction] }
}
