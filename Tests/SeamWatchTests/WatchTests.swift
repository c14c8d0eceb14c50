import Testing

/// The suites that run programs and load BPF, one after the other: a watch follows every child of this
/// process, so two at once would record each other's programs.
@Suite(.serialized) struct WatchTests {}
